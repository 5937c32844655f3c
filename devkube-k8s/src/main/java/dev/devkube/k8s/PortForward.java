package dev.devkube.k8s;

import dev.devkube.k8s.internal.ChannelSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local port on the loopback interface whose TCP connections reach a port of a pod through the
 * API server (one WebSocket a connection, {@code v4.channel.k8s.io}), with the cluster's own
 * authentication and nothing opened to the internet. Made by {@link KubePod#portForward}; carries
 * any number of connections until closed.
 *
 * <pre>{@code
 * try (PortForward web = kube.pod("dev", "web-5d8").portForward(80)) {
 *   HttpRequest request = HttpRequest.newBuilder(URI.create(web.url() + "/index.html")).build();
 *   ...
 * }
 * }</pre>
 */
public final class PortForward implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PortForward.class);

  private final ServerSocket server;
  private final OkHttpClient client;
  private final Supplier<HttpUrl> url;
  private final String what;
  private final int podPort;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private volatile @Nullable String lastError;
  private volatile boolean closed;

  PortForward(OkHttpClient client, Supplier<HttpUrl> url, String what, int podPort, int localPort)
      throws IOException {
    this.client = client;
    this.url = url;
    this.what = what;
    this.podPort = podPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort), 50);
    Thread acceptor = new Thread(this::accept, "devkube-port-forward-" + localPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The local port (on loopback) that leads to the pod's port. */
  public int localPort() {
    return server.getLocalPort();
  }

  /** The loopback address and port that forward to the pod. */
  public InetSocketAddress localAddress() {
    return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
  }

  /** {@code http://127.0.0.1:<localPort>}, for a pod port that speaks HTTP. */
  public String url() {
    return "http://" + server.getInetAddress().getHostAddress() + ":" + localPort();
  }

  /** The pod's port this forwards to. */
  public int podPort() {
    return podPort;
  }

  /**
   * Why the last connection failed (the server's message, for example "connection refused" when
   * nothing listens on the pod's port), or null.
   */
  public @Nullable String lastError() {
    return lastError;
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      connections.add(socket);
      Thread thread = new Thread(() -> carry(socket), "devkube-port-forward-connection");
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void carry(Socket socket) {
    ChannelSocket channels = null;
    ErrorSink errors = new ErrorSink();
    try (socket) {
      socket.setTcpNoDelay(true);
      OutputStream toClient = socket.getOutputStream();
      channels =
          ChannelSocket.open(
              client,
              url.get(),
              ChannelSocket.PORT_FORWARD_PROTOCOLS,
              Map.of(0, toClient, 1, errors),
              List.of(0, 1),
              Duration.ofSeconds(30),
              "forward port " + podPort + " of " + what);
      InputStream fromClient = socket.getInputStream();
      byte[] buffer = new byte[32 * 1024];
      int n;
      while ((n = fromClient.read(buffer)) >= 0) {
        channels.send(0, buffer, 0, n);
      }
      channels.close();
      channels.await(Duration.ofSeconds(30));
    } catch (RuntimeException | IOException e) {
      // A stream that ended closed the local socket under the read: that is its end, not an error.
      boolean streamEnded = channels != null && channels.ended();
      if (!closed && !streamEnded && !errors.said()) {
        lastError = e.getMessage();
        log.warn(
            "A connection forwarded to port {} of {} failed: {}", podPort, what, e.getMessage());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connections.remove(socket);
      if (channels != null) {
        channels.cancel();
      }
    }
  }

  /** The error channel: the server says why it could not reach the pod's port. */
  private final class ErrorSink extends OutputStream {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      // Kept as it comes: the error arrives before the stream closes the local connection.
      text.append(new String(b, off, len, java.nio.charset.StandardCharsets.UTF_8));
      lastError = text.toString();
    }

    /** Whether the server said why (its reason is then the one kept). */
    boolean said() {
      return text.length() > 0;
    }

    @Override
    public void close() {
      if (text.length() > 0) {
        log.warn("Port {} of {}: {}", podPort, what, text);
      }
    }
  }

  /** Stops listening and drops every open connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing
    }
    for (Socket socket : connections) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  @Override
  public String toString() {
    return "PortForward[" + url() + " -> " + what + ":" + podPort + "]";
  }
}
