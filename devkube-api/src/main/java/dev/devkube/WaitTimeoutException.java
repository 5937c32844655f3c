package dev.devkube;

import dev.devkube.internal.Durations;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Something awaited did not happen within its time limit. Names what was awaited, the limit, and
 * the last state seen, e.g. {@code timed out after 20m waiting for cluster devkube to be running;
 * last state: provisioning (creating node pool devpool)}.
 */
public class WaitTimeoutException extends DevkubeException {
  private static final long serialVersionUID = 1L;

  private final String awaited;
  private final Duration timeout;
  private final @Nullable String lastState;

  /**
   * A wait for {@code awaited} that took longer than {@code timeout}, last seen in {@code
   * lastState}.
   */
  public WaitTimeoutException(String awaited, Duration timeout, @Nullable String lastState) {
    super(
        "timed out after "
            + Durations.format(timeout)
            + " waiting for "
            + awaited
            + "; last state: "
            + (lastState == null ? "none seen" : lastState));
    this.awaited = awaited;
    this.timeout = timeout;
    this.lastState = lastState;
  }

  /** What was awaited, e.g. {@code cluster devkube to be running}. */
  public String awaited() {
    return awaited;
  }

  /** The time limit that ran out. */
  public Duration timeout() {
    return timeout;
  }

  /** The last state seen before the limit ran out, or null if none was seen. */
  public @Nullable String lastState() {
    return lastState;
  }
}
