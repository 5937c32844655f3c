package dev.devkube;

/** The requested object does not exist (HTTP 404). */
public class NotFoundException extends ApiException {
  private static final long serialVersionUID = 1L;

  /** An error with the provider's message and its parsed body. */
  public NotFoundException(String message, ApiError error) {
    super(message, error);
  }
}
