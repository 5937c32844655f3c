package dev.devkube.k8s.internal;

/**
 * What happened to one request on its way: whether an attempt failed after it may have reached the
 * server, so that the answer the caller finally gets may follow a change that already took effect
 * (a retried PUT meeting 409, a retried DELETE meeting 404). Travels as the request's tag.
 */
public final class Attempts {
  private volatile boolean answerLost;

  /** Whether an earlier attempt may have reached the server and its answer was lost. */
  public boolean answerLost() {
    return answerLost;
  }

  void lostAnAnswer() {
    answerLost = true;
  }
}
