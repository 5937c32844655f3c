package dev.devkube.testkit.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * An HTTPS/1.1 server with the JDK server's handler API ({@link HttpHandler}, {@link
 * HttpsExchange}) that can also hand a connection over after {@code 101 Switching Protocols}, which
 * the JDK's own server cannot: exec, attach and port-forward are WebSocket upgrades.
 *
 * <p>One thread a connection (from the given executor), keep-alive, request bodies by length or
 * chunks, {@code Expect: 100-continue}, responses by length ({@code sendResponseHeaders(code, n)}),
 * chunked ({@code 0}) or empty ({@code -1}). An exchange closed before its headers were sent closes
 * the connection, as the JDK's server does (the faults rely on it). After {@code
 * sendResponseHeaders(101, -1)} the exchange's streams are the connection's own.
 */
public final class Http1Server implements Closeable {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

  private final SSLServerSocket serverSocket;
  private final HttpHandler handler;
  private final ExecutorService executor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public Http1Server(SSLContext context, HttpHandler handler, ExecutorService executor)
      throws IOException {
    this.serverSocket =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 64, InetAddress.getLoopbackAddress());
    SSLParameters parameters = context.getDefaultSSLParameters();
    parameters.setWantClientAuth(true);
    // HTTP/1.1 only: a client that offers h2 by ALPN is told http/1.1.
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    serverSocket.setSSLParameters(parameters);
    this.handler = handler;
    this.executor = executor;
  }

  public void start() {
    Thread acceptor = new Thread(this::accept, "fake-kubernetes-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      open.add(socket);
      try {
        executor.execute(() -> serve((SSLSocket) socket));
      } catch (RuntimeException e) {
        closeQuietly(socket);
      }
    }
  }

  private void serve(SSLSocket socket) {
    try {
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      while (!closed) {
        String requestLine = Http1Streams.readLine(in, true);
        if (requestLine == null) {
          return;
        }
        if (requestLine.isEmpty()) {
          continue; // a stray CRLF between requests is allowed
        }
        Exchange exchange = new Exchange(socket, in, out, requestLine, readHeaders(in));
        if (!exchange.handle(handler)) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, or sent what is not HTTP: either way the connection ends
    } finally {
      open.remove(socket);
      closeQuietly(socket);
    }
  }

  /** Whether the client of {@code exchange} (one of this server's) has closed its end. */
  public static boolean clientGone(com.sun.net.httpserver.HttpExchange exchange) {
    return exchange instanceof Exchange ours && ours.clientGone();
  }

  @Override
  public void close() {
    closed = true;
    closeQuietly(serverSocket);
    open.forEach(Http1Server::closeQuietly);
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  private static Headers readHeaders(InputStream in) throws IOException {
    Headers headers = new Headers();
    int size = 0;
    while (true) {
      String line = Http1Streams.line(in);
      if (line.isEmpty()) {
        return headers;
      }
      size += line.length();
      if (size > Http1Streams.MAX_HEAD) {
        throw new IOException("request headers too long");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IOException("malformed header line");
      }
      headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }
  }

  private final class Exchange extends HttpsExchange {
    private final SSLSocket socket;
    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final String method;
    private final URI uri;
    private final String protocol;
    private final Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream requestBody;
    private OutputStream responseBody;
    private int responseCode = -1;
    private boolean keepAlive;
    private boolean upgraded;
    private boolean finished;

    Exchange(
        SSLSocket socket, InputStream in, OutputStream out, String requestLine, Headers headers)
        throws IOException {
      this.socket = socket;
      this.rawIn = in;
      this.rawOut = out;
      String[] parts = requestLine.split(" ", -1);
      if (parts.length != 3) {
        throw new IOException("malformed request line");
      }
      this.method = parts[0];
      this.uri = URI.create(parts[1]);
      this.protocol = parts[2];
      this.requestHeaders = headers;
      String connection = headerValue(headers, "Connection");
      this.keepAlive =
          protocol.equals("HTTP/1.1")
              ? !connection.contains("close")
              : connection.contains("keep-alive");
      String transferEncoding = headerValue(headers, "Transfer-Encoding");
      String length = headers.getFirst("Content-Length");
      if (transferEncoding.contains("chunked")) {
        this.requestBody = new Http1Streams.ChunkedInput(in);
      } else if (length != null) {
        long n;
        try {
          n = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          throw new IOException("malformed Content-Length");
        }
        this.requestBody = new Http1Streams.FixedInput(in, n);
      } else {
        this.requestBody = InputStream.nullInputStream();
      }
      this.responseBody = OutputStream.nullOutputStream();
    }

    /** Runs the handler; true when the connection can carry another request. */
    boolean handle(HttpHandler handler) throws IOException {
      if (headerValue(requestHeaders, "Expect").contains("100-continue")) {
        rawOut.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        rawOut.flush();
      }
      try {
        handler.handle(this);
      } finally {
        if (!upgraded) {
          close();
        }
      }
      if (upgraded || responseCode < 0 || !keepAlive) {
        return false;
      }
      // What the handler left unread of the request goes, so the next request starts in place.
      requestBody.transferTo(OutputStream.nullOutputStream());
      return true;
    }

    @Override
    public Headers getRequestHeaders() {
      return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return method;
    }

    @Override
    public HttpContext getHttpContext() {
      throw new UnsupportedOperationException("no contexts: one handler serves every path");
    }

    @Override
    public void close() {
      if (finished) {
        return;
      }
      finished = true;
      try {
        if (responseCode < 0) {
          // Closed before an answer: the connection ends, as the JDK's server ends it.
          keepAlive = false;
          socket.close();
          return;
        }
        responseBody.close();
        rawOut.flush();
      } catch (IOException e) {
        keepAlive = false;
      }
    }

    @Override
    public InputStream getRequestBody() {
      return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
      return responseBody;
    }

    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      if (responseCode >= 0) {
        throw new IOException("headers already sent");
      }
      responseCode = code;
      StringBuilder head = new StringBuilder(256);
      head.append("HTTP/1.1 ")
          .append(code)
          .append(' ')
          .append(Http1Streams.reason(code))
          .append("\r\n");
      responseHeaders.set("Date", DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
      boolean noBody = code < 200 || code == 204 || code == 304 || method.equals("HEAD");
      if (code == 101) {
        upgraded = true;
        responseHeaders.remove("Content-Length");
        responseHeaders.remove("Transfer-Encoding");
      } else if (length == 0 && !noBody) {
        responseHeaders.set("Transfer-Encoding", "chunked");
      } else if (code >= 200 && code != 204 && code != 304) {
        responseHeaders.set("Content-Length", Long.toString(Math.max(length, 0)));
      }
      if (!keepAlive && code != 101) {
        responseHeaders.set("Connection", "close");
      }
      responseHeaders.forEach(
          (name, values) -> {
            for (String value : values) {
              head.append(name).append(": ").append(value).append("\r\n");
            }
          });
      head.append("\r\n");
      rawOut.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (code == 101) {
        rawOut.flush();
        requestBody = rawIn;
        responseBody = rawOut;
      } else if (noBody || length < 0) {
        responseBody = OutputStream.nullOutputStream();
      } else if (length == 0) {
        rawOut.flush(); // a stream's headers go out at once
        responseBody = new Http1Streams.ChunkedOutput(rawOut);
      } else {
        responseBody = new FixedOutput(rawOut, length);
      }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return (InetSocketAddress) socket.getRemoteSocketAddress();
    }

    @Override
    public int getResponseCode() {
      return responseCode;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public String getProtocol() {
      return protocol;
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {
      if (value == null) {
        attributes.remove(name);
      } else {
        attributes.put(name, value);
      }
    }

    @Override
    public void setStreams(@Nullable InputStream in, @Nullable OutputStream out) {
      if (in != null) {
        requestBody = in;
      }
      if (out != null) {
        responseBody = out;
      }
    }

    @Override
    public @Nullable HttpPrincipal getPrincipal() {
      return null;
    }

    @Override
    public SSLSession getSSLSession() {
      return socket.getSession();
    }

    /**
     * Whether the client closed its end, checked without blocking (a 1 ms read): for a stream that
     * is idle, which otherwise notices only when it next writes. A byte that arrives (a next
     * request) stays unread.
     */
    boolean clientGone() {
      if (upgraded || !rawIn.markSupported()) {
        return false;
      }
      try {
        socket.setSoTimeout(1);
        rawIn.mark(1);
        if (rawIn.read() < 0) {
          return true;
        }
        rawIn.reset();
        return false;
      } catch (java.net.SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      } finally {
        try {
          socket.setSoTimeout(0);
        } catch (IOException ignored) {
          // the socket is closed: the next write says so
        }
      }
    }

    /** Marks the connection as not reusable, for a body that ended short. */
    void broken() {
      keepAlive = false;
    }

    private final class FixedOutput extends OutputStream {
      private final OutputStream out;
      private long remaining;

      FixedOutput(OutputStream out, long length) {
        this.out = out;
        this.remaining = length;
      }

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (len > remaining) {
          throw new IOException("more bytes than the Content-Length promised");
        }
        out.write(b, off, len);
        remaining -= len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        if (remaining > 0) {
          broken();
          socket.close();
          return;
        }
        out.flush();
      }
    }
  }

  private static String headerValue(Headers headers, String name) {
    String value = headers.getFirst(name);
    return value == null ? "" : value.toLowerCase(Locale.ROOT);
  }
}
