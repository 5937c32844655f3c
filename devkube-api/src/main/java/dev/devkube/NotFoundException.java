package dev.devkube;

/** The requested object does not exist (HTTP 404). */
public class NotFoundException extends ApiException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(String message, ApiError error) {
    super(message, error);
  }
}
