package dev.devkube;

import org.jspecify.annotations.Nullable;

/**
 * A request could not be completed: the server could not be reached, the connection failed, TLS
 * verification failed, or the response could not be parsed. The message names the call.
 */
public class TransportException extends DevkubeException {
  private static final long serialVersionUID = 1L;

  /** A failure to reach the server, described by {@code message}. */
  public TransportException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
