package dev.devkube.k8s;

import dev.devkube.TransportException;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;

/**
 * A pod's log as it is written ({@code follow}): read it line by line; close it to stop, from any
 * thread. Ends by itself when the container stops.
 *
 * <pre>{@code
 * try (LogStream log = kube.pod("dev", "nfs-7c9").followLogs(LogOptions.all().tailLines(10))) {
 *   for (String line; (line = log.readLine()) != null; ) { ... }
 * }
 * }</pre>
 */
public final class LogStream implements AutoCloseable {
  private final Call call;
  private final Response response;
  private final BufferedSource source;
  private volatile boolean closed;

  LogStream(Call call, Response response) {
    this.call = call;
    this.response = response;
    this.source = response.body().source();
  }

  /**
   * The next line, waiting for it if need be; null when the log has ended or the stream was closed.
   */
  public @Nullable String readLine() {
    if (closed) {
      return null;
    }
    try {
      return source.readUtf8Line();
    } catch (IOException e) {
      if (closed) {
        return null;
      }
      throw new TransportException("the log stream was cut: " + e, e);
    }
  }

  @Override
  public void close() {
    closed = true;
    call.cancel();
    response.close();
  }
}
