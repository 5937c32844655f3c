package dev.devkube.internal;

import dev.devkube.Waiter;
import java.io.InterruptedIOException;
import java.time.Duration;

/** The pause between two attempts of an HTTP call, as the clients' retry interceptors take it. */
public final class RetrySleep {
  private RetrySleep() {}

  /**
   * Sleeps {@code delay} on {@code clock}. An interruption keeps the thread's flag and becomes the
   * {@link InterruptedIOException} an OkHttp interceptor is expected to throw.
   */
  public static void sleep(Waiter.Clock clock, Duration delay) throws InterruptedIOException {
    try {
      clock.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted between retries");
      interrupted.initCause(e);
      throw interrupted;
    }
  }
}
