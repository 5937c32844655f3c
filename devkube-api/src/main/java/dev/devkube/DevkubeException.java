package dev.devkube;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception devkube throws, apart from caller misuse, which is an {@link
 * IllegalArgumentException} or {@link IllegalStateException}.
 *
 * <p>Catch {@link ApiException} when the server refused a request, {@link TransportException} when
 * it could not be reached or understood, and {@link WaitTimeoutException} or {@link
 * WaitFailedException} when something awaited did not happen.
 */
public class DevkubeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An error described by {@code message}. */
  public DevkubeException(String message) {
    super(message);
  }

  /** An error described by {@code message}, caused by {@code cause}. */
  public DevkubeException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
