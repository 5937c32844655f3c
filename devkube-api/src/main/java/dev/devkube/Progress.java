package dev.devkube;

import dev.devkube.internal.Durations;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One report from a wait in progress: what is awaited, the state last seen, the server's message,
 * how many parts are ready out of how many (e.g. nodes), and the time elapsed.
 *
 * @param awaited what is awaited, e.g. {@code cluster devkube to be running}
 * @param state the state last seen, e.g. {@code provisioning}
 * @param message the server's message about that state, if any
 * @param ready how many parts are ready, e.g. nodes running
 * @param total how many parts there are, or 0 when not counted
 * @param elapsed the time since the wait began
 */
public record Progress(
    String awaited,
    String state,
    @Nullable String message,
    int ready,
    int total,
    Duration elapsed) {

  public Progress {
    Objects.requireNonNull(awaited, "awaited");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(elapsed, "elapsed");
    if (ready < 0 || total < 0) {
      throw new IllegalArgumentException(
          "ready " + ready + " and total " + total + " must be >= 0");
    }
  }

  /** The state with its message, e.g. {@code provisioning (creating nodes)}. */
  public String describeState() {
    return message == null || message.isBlank() || message.equalsIgnoreCase(state)
        ? state
        : state + " (" + message + ")";
  }

  /** A line for people: {@code cluster devkube to be running: provisioning, 1/2 ready, 40s}. */
  @Override
  public String toString() {
    return awaited
        + ": "
        + describeState()
        + (total > 0 ? ", " + ready + "/" + total + " ready" : "")
        + ", "
        + Durations.format(elapsed);
  }
}
