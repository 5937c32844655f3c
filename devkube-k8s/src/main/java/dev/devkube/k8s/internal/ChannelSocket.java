package dev.devkube.k8s.internal;

import dev.devkube.ApiError;
import dev.devkube.ApiException;
import dev.devkube.DevkubeException;
import dev.devkube.TransportException;
import dev.devkube.k8s.KubeObject;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.jspecify.annotations.Nullable;

/**
 * One WebSocket to the API server that carries the Kubernetes channel protocol: each binary message
 * starts with its channel's number. Used by exec and attach ({@code v5.channel.k8s.io}, else {@code
 * v4.channel.k8s.io}; channel 3 carries the exit {@code Status}) and port-forward ({@code
 * v4.channel.k8s.io}; a data and an error channel per port). What arrives on a channel is written
 * to its sink on OkHttp's reader thread, so a sink that blocks holds back the others.
 */
public final class ChannelSocket {
  public static final List<String> EXEC_PROTOCOLS =
      List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
  public static final List<String> PORT_FORWARD_PROTOCOLS = List.of("v4.channel.k8s.io");

  /** OkHttp closes a web socket whose outgoing queue passes 16 MiB; stay well below. */
  private static final long MAX_QUEUED = 1024 * 1024;

  private final String action;
  private final Map<Integer, OutputStream> sinks;
  private final Map<Integer, Integer> prefixToSkip = new ConcurrentHashMap<>();
  private final CountDownLatch opened = new CountDownLatch(1);
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Object queueLock = new Object();
  private volatile @Nullable WebSocket socket;
  private volatile String protocol = "";
  private volatile @Nullable DevkubeException failure;
  private volatile @Nullable String status;
  private volatile boolean over;

  private ChannelSocket(String action, Map<Integer, OutputStream> sinks) {
    this.action = action;
    this.sinks = sinks;
  }

  /**
   * Opens the socket and waits (up to {@code timeout}) for the upgrade.
   *
   * @param sinks where each channel's bytes go
   * @param skipPrefix channels whose first two bytes are a port number to drop (port-forward)
   * @throws ApiException when the server refuses the upgrade (its Status, as for any request)
   */
  public static ChannelSocket open(
      OkHttpClient client,
      HttpUrl url,
      List<String> protocols,
      Map<Integer, OutputStream> sinks,
      List<Integer> skipPrefix,
      Duration timeout,
      String action) {
    ChannelSocket channels = new ChannelSocket(action, sinks);
    skipPrefix.forEach(c -> channels.prefixToSkip.put(c, 2));
    Request request =
        new Request.Builder()
            .url(url)
            .header("Sec-WebSocket-Protocol", String.join(", ", protocols))
            .build();
    channels.socket = client.newWebSocket(request, channels.listener());
    boolean open;
    try {
      open = channels.opened.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channels.cancel();
      throw new TransportException(action + " was interrupted", e);
    }
    if (!open) {
      channels.cancel();
      throw new TransportException(
          action + ": the API server did not answer the upgrade within " + timeout, null);
    }
    DevkubeException failure = channels.failure;
    if (failure != null) {
      throw failure;
    }
    if (!protocols.contains(channels.protocol)) {
      channels.cancel();
      throw new DevkubeException(
          action
              + ": the API server chose the stream protocol \""
              + channels.protocol
              + "\"; devkube speaks "
              + protocols);
    }
    return channels;
  }

  public String protocol() {
    return protocol;
  }

  private WebSocketListener listener() {
    return new WebSocketListener() {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        String chosen = response.header("Sec-WebSocket-Protocol");
        protocol = chosen == null ? "" : chosen.trim();
        opened.countDown();
      }

      @Override
      public void onMessage(WebSocket webSocket, ByteString bytes) {
        deliver(bytes.toByteArray());
      }

      @Override
      public void onMessage(WebSocket webSocket, String text) {
        deliver(ByteString.encodeUtf8(text).toByteArray());
      }

      @Override
      public void onClosing(WebSocket webSocket, int code, String reason) {
        over = true;
        webSocket.close(1000, null);
        finish();
      }

      @Override
      public void onClosed(WebSocket webSocket, int code, String reason) {
        finish();
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable t, @Nullable Response response) {
        if (opened.getCount() > 0) {
          failure =
              response != null && response.code() != 101
                  ? KubeHttp.error(response, action)
                  : new TransportException("could not open the stream to " + action + ": " + t, t);
          opened.countDown();
        } else if (ended.getCount() > 0 && failure == null) {
          failure = new TransportException("the stream of " + action + " was cut: " + t, t);
        }
        finish();
      }
    };
  }

  private void deliver(byte[] message) {
    if (message.length == 0) {
      return;
    }
    int channel = message[0] & 0xff;
    int offset = 1;
    Integer skip = prefixToSkip.get(channel);
    if (skip != null && skip > 0) {
      int n = Math.min(skip, message.length - 1);
      offset += n;
      if (skip - n == 0) {
        prefixToSkip.remove(channel);
      } else {
        prefixToSkip.put(channel, skip - n);
      }
    }
    if (channel == 3 && sinks.get(3) == null) {
      status =
          new String(
              message, offset, message.length - offset, java.nio.charset.StandardCharsets.UTF_8);
      return;
    }
    OutputStream sink = sinks.get(channel);
    if (sink == null || offset >= message.length) {
      return;
    }
    try {
      sink.write(message, offset, message.length - offset);
      sink.flush();
    } catch (IOException e) {
      // the reader went away: nothing more to deliver to it
    }
  }

  private void finish() {
    // Said before the sinks close: a reader that fails on a closed sink then knows why.
    over = true;
    for (OutputStream sink : sinks.values()) {
      try {
        sink.close();
      } catch (IOException ignored) {
        // closing a pipe end
      }
    }
    ended.countDown();
  }

  /** Sends bytes on a channel, waiting while much is queued (OkHttp has no drain callback). */
  public void send(int channel, byte[] data, int offset, int length) throws IOException {
    WebSocket ws = socket;
    if (ws == null || ended.getCount() == 0) {
      throw new IOException("the stream of " + action + " has ended");
    }
    synchronized (queueLock) {
      while (ws.queueSize() > MAX_QUEUED && ended.getCount() > 0) {
        try {
          queueLock.wait(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while sending");
        }
      }
    }
    byte[] message = new byte[length + 1];
    message[0] = (byte) channel;
    System.arraycopy(data, offset, message, 1, length);
    if (!ws.send(ByteString.of(message))) {
      throw new IOException("the stream of " + action + " has ended");
    }
  }

  /** v5 only: tells the server that the client's stream on {@code channel} has ended. */
  public void closeChannel(int channel) {
    WebSocket ws = socket;
    if (ws != null && protocol.startsWith("v5.")) {
      ws.send(ByteString.of((byte) 255, (byte) channel));
    }
  }

  /** Waits for the end of the stream; false when {@code timeout} passed first. */
  public boolean await(Duration timeout) throws InterruptedException {
    return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public boolean ended() {
    return over || ended.getCount() == 0;
  }

  /** What ended the stream other than a close, or null. */
  public @Nullable DevkubeException failure() {
    return failure;
  }

  /**
   * The exit code the status channel reported: 0 for Success, the NonZeroExitCode cause's number;
   * null when no status came (the stream was cut).
   *
   * @throws ApiException for a Failure that is not an exit code (the command could not start)
   */
  public @Nullable Integer exitCode() {
    String text = status;
    if (text == null) {
      return null;
    }
    Object parsed;
    try {
      parsed = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw new DevkubeException(action + " failed: " + text.strip());
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new DevkubeException(action + " failed: " + text.strip());
    }
    KubeObject s = KubeObject.from(map);
    if ("Success".equals(s.getString("status"))) {
      return 0;
    }
    if ("NonZeroExitCode".equals(s.getString("reason"))) {
      for (Object cause : s.getList("details.causes")) {
        if (cause instanceof Map<?, ?> c && "ExitCode".equals(c.get("reason"))) {
          try {
            return Integer.parseInt(String.valueOf(c.get("message")));
          } catch (NumberFormatException e) {
            break;
          }
        }
      }
    }
    String message = s.getString("message");
    Object code = s.get("code");
    throw ApiException.of(
        action + " failed: " + message,
        new ApiError(
            code instanceof Number n ? n.intValue() : 500,
            s.getString("reason"),
            message == null ? text.strip() : message,
            null,
            List.of(),
            null));
  }

  /** Closes normally (the server ends the command's streams). */
  public void close() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.close(1000, null);
    }
  }

  /** Drops the connection at once. */
  public void cancel() {
    WebSocket ws = socket;
    if (ws != null) {
      ws.cancel();
    }
    finish();
  }
}
