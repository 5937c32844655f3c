package dev.devkube;

/**
 * Something awaited can no longer happen: the server reported a state from which it does not
 * recover, e.g. a cluster in {@code error} or a pod that {@code Failed}. Thrown at once, with the
 * server's own reason, instead of waiting for the time limit.
 */
public class WaitFailedException extends DevkubeException {
  private static final long serialVersionUID = 1L;

  private final String awaited;
  private final String state;

  /** A wait for {@code awaited} that ended in {@code state}, for {@code reason}. */
  public WaitFailedException(String awaited, String state, String reason) {
    super(
        "gave up waiting for "
            + awaited
            + ": state "
            + state
            + (reason.isEmpty() ? "" : ": " + reason));
    this.awaited = awaited;
    this.state = state;
  }

  /** What was awaited, e.g. {@code cluster devkube to be running}. */
  public String awaited() {
    return awaited;
  }

  /** The state that ended the wait, e.g. {@code error}. */
  public String state() {
    return state;
  }
}
