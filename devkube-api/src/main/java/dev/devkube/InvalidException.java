package dev.devkube;

/**
 * The server found the request invalid (HTTP 422). {@link #causes()} lists the fields it objected
 * to, with its own messages.
 */
public class InvalidException extends ApiException {
  private static final long serialVersionUID = 1L;

  /** An error with the provider's message and its parsed body. */
  public InvalidException(String message, ApiError error) {
    super(message, error);
  }
}
