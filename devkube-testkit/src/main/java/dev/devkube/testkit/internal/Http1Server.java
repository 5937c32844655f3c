package dev.devkube.testkit.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpsExchange;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 server over TLS on loopback, for the fake API server: keep-alive, fixed-length and
 * chunked bodies both ways, client certificates wanted (not required), and what the JDK's own
 * server cannot give: the socket of an exchange, so that a long answer (a watch) learns when its
 * client has gone. Handlers see the {@link com.sun.net.httpserver.HttpExchange} API.
 */
public final class Http1Server implements AutoCloseable {
  private static final int MAX_LINE = 64 * 1024;
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);

  private final SSLServerSocket server;
  private final HttpHandler handler;
  private final ExecutorService threads;
  private final Set<SSLSocket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public Http1Server(SSLContext tls, HttpHandler handler, String name) throws IOException {
    this.handler = handler;
    this.server =
        (SSLServerSocket)
            tls.getServerSocketFactory()
                .createServerSocket(0, 128, InetAddress.getLoopbackAddress());
    server.setWantClientAuth(true);
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, name);
              thread.setDaemon(true);
              return thread;
            });
    threads.execute(this::accept);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        SSLSocket socket = (SSLSocket) server.accept();
        open.add(socket);
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        if (closed) {
          return;
        }
      } catch (java.util.concurrent.RejectedExecutionException e) {
        return;
      }
    }
  }

  private void serve(SSLSocket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      PushbackInputStream in = new PushbackInputStream(socket.getInputStream(), 1);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
      while (!closed) {
        String requestLine;
        try {
          requestLine = readLine(in);
        } catch (SocketTimeoutException e) {
          return; // an idle keep-alive connection
        }
        if (requestLine == null) {
          return;
        }
        if (requestLine.isEmpty()) {
          continue;
        }
        String[] parts = requestLine.split(" ", -1);
        Headers headers = new Headers();
        for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
          int colon = line.indexOf(':');
          if (colon > 0) {
            headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
          }
        }
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
          writeSimple(out, 400, "Bad Request");
          return;
        }
        URI uri;
        try {
          uri = new URI(parts[1]);
        } catch (URISyntaxException e) {
          writeSimple(out, 400, "Bad Request");
          return;
        }
        InputStream body;
        String length = headers.getFirst("Content-Length");
        if ("chunked".equalsIgnoreCase(headers.getFirst("Transfer-Encoding"))) {
          body = new ChunkedInput(in);
        } else if (length != null) {
          body = new FixedInput(in, Long.parseLong(length.trim()));
        } else {
          body = InputStream.nullInputStream();
        }
        Exchange exchange = new Exchange(socket, in, out, parts[0], uri, parts[2], headers, body);
        try {
          handler.handle(exchange);
        } finally {
          exchange.finish();
        }
        if (exchange.closeConnection) {
          return;
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or sent something unreadable: this connection ends
    } finally {
      open.remove(socket);
    }
  }

  private static void writeSimple(OutputStream out, int code, String reason) throws IOException {
    out.write(
        ("HTTP/1.1 " + code + " " + reason + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** A CRLF (or LF) terminated line, or null at the end of the stream. */
  private static @Nullable String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) != -1; ) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int end =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > MAX_LINE) {
        throw new IOException("a request line or header longer than " + MAX_LINE + " bytes");
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  /** Stops accepting, ends every connection and frees the threads. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (SSLSocket socket : open) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    threads.shutdownNow();
  }

  /** One request and its answer. */
  public static final class Exchange extends HttpsExchange {
    private final SSLSocket socket;
    private final PushbackInputStream connection;
    private final OutputStream out;
    private final String method;
    private final URI uri;
    private final String protocol;
    private final Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream requestBody;
    private @Nullable OutputStream responseBody;
    private int responseCode = -1;
    boolean closeConnection;

    Exchange(
        SSLSocket socket,
        PushbackInputStream connection,
        OutputStream out,
        String method,
        URI uri,
        String protocol,
        Headers requestHeaders,
        InputStream requestBody) {
      this.socket = socket;
      this.connection = connection;
      this.out = out;
      this.method = method;
      this.uri = uri;
      this.protocol = protocol;
      this.requestHeaders = requestHeaders;
      this.requestBody = requestBody;
      this.closeConnection =
          "close".equalsIgnoreCase(requestHeaders.getFirst("Connection"))
              || protocol.equals("HTTP/1.0");
    }

    /**
     * Calls {@code onGone} (once, on another thread) when the client closes the connection while
     * this answer streams: a read of the socket, which has nothing else to read meanwhile, reaching
     * its end.
     */
    public void onClientGone(Runnable onGone) {
      // The socket now has two readers; it must not carry another request afterwards.
      closeConnection = true;
      Thread watcher =
          new Thread(
              () -> {
                try {
                  drain(requestBody);
                  while (true) {
                    try {
                      int b = connection.read();
                      if (b == -1) {
                        break;
                      }
                      connection.unread(b);
                      return; // the client sent something: it is still there
                    } catch (SocketTimeoutException e) {
                      if (socket.isClosed()) {
                        break;
                      }
                    }
                  }
                } catch (IOException e) {
                  // a failed read: gone too
                }
                closeConnection = true;
                onGone.run();
              },
              "fake-kubernetes-watch-peer");
      watcher.setDaemon(true);
      watcher.start();
    }

    private static void drain(InputStream in) throws IOException {
      byte[] buffer = new byte[8192];
      while (in.read(buffer) != -1) {
        // discard what the handler did not read
      }
    }

    /** Completes the answer after the handler returned. */
    void finish() throws IOException {
      if (responseCode < 0) {
        closeConnection = true;
        return;
      }
      if (responseBody != null) {
        responseBody.close();
      }
      drain(requestBody);
      out.flush();
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
    public @Nullable HttpContext getHttpContext() {
      return null;
    }

    @Override
    public void close() {
      try {
        if (responseCode < 0) {
          closeConnection = true;
          socket.close();
          return;
        }
        if (responseBody != null) {
          responseBody.close();
        }
        out.flush();
      } catch (IOException e) {
        closeConnection = true;
      }
    }

    @Override
    public InputStream getRequestBody() {
      return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
      if (responseBody == null) {
        throw new IllegalStateException("sendResponseHeaders first");
      }
      return responseBody;
    }

    /**
     * Sends the status line and headers: {@code length} 0 for a chunked body of any length, -1 for
     * none, otherwise exactly that many bytes (as the JDK's server).
     */
    @Override
    public void sendResponseHeaders(int code, long length) throws IOException {
      if (responseCode >= 0) {
        throw new IOException("headers already sent");
      }
      responseCode = code;
      StringBuilder head =
          new StringBuilder("HTTP/1.1 ").append(code).append(' ').append(reason(code));
      head.append("\r\nDate: ").append(DATE.format(ZonedDateTime.now(ZoneOffset.UTC)));
      boolean noBody = length < 0 || code == 204 || code == 304 || method.equals("HEAD");
      if (noBody) {
        if (code != 204 && code != 304) {
          head.append("\r\nContent-Length: 0");
        }
      } else if (length == 0) {
        head.append("\r\nTransfer-Encoding: chunked");
      } else {
        head.append("\r\nContent-Length: ").append(length);
      }
      if (closeConnection) {
        head.append("\r\nConnection: close");
      }
      for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
        for (String value : header.getValue()) {
          head.append("\r\n").append(header.getKey()).append(": ").append(value);
        }
      }
      head.append("\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (noBody) {
        responseBody = OutputStream.nullOutputStream();
        out.flush();
      } else if (length == 0) {
        responseBody = new ChunkedOutput(out);
      } else {
        responseBody = new FixedOutput(out, length);
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
        this.requestBody = in;
      }
      if (out != null) {
        this.responseBody = out;
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
  }

  private static String reason(int code) {
    return switch (code) {
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  /** A request body of a known length. */
  private static final class FixedInput extends FilterInputStream {
    private long remaining;

    FixedInput(InputStream in, long length) {
      super(in);
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }

    @Override
    public void close() {
      // the connection stays open for the next request
    }
  }

  /** A chunked request body. */
  private static final class ChunkedInput extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (done) {
        return -1;
      }
      if (remaining == 0) {
        String size = readLine(in);
        if (size == null) {
          throw new IOException("the chunked body ended early");
        }
        int semicolon = size.indexOf(';');
        remaining =
            Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        if (remaining == 0) {
          for (String trailer; (trailer = readLine(in)) != null && !trailer.isEmpty(); ) {
            // trailers are ignored
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(buffer, offset, (int) Math.min(length, remaining));
      if (n < 0) {
        throw new IOException("the chunked body ended early");
      }
      remaining -= n;
      if (remaining == 0) {
        readLine(in); // the CRLF after the chunk
      }
      return n;
    }
  }

  /** A response body of a declared length. */
  private static final class FixedOutput extends OutputStream {
    private final OutputStream out;
    private long remaining;
    private boolean closed;

    FixedOutput(OutputStream out, long length) {
      this.out = out;
      this.remaining = length;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      if (length > remaining) {
        throw new IOException("more bytes than the declared Content-Length");
      }
      out.write(buffer, offset, length);
      remaining -= length;
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        out.flush();
      }
    }
  }

  /** A chunked response body: each flush sends what was written as one chunk. */
  private static final class ChunkedOutput extends OutputStream {
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean closed;

    ChunkedOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      pending.write(b);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      if (closed) {
        throw new SocketException("the answer is complete");
      }
      pending.write(buffer, offset, length);
      if (pending.size() >= 16 * 1024) {
        chunk();
      }
    }

    private void chunk() throws IOException {
      if (pending.size() > 0) {
        out.write(
            (Integer.toHexString(pending.size()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        pending.writeTo(out);
        out.write('\r');
        out.write('\n');
        pending.reset();
      }
    }

    @Override
    public void flush() throws IOException {
      chunk();
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        chunk();
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    }
  }
}
