package dev.devkube;

/**
 * The server did not accept the credentials (HTTP 401) or they do not allow this request (HTTP
 * 403).
 */
public class AuthenticationException extends ApiException {
  private static final long serialVersionUID = 1L;

  /** An error with the provider's message and its parsed body. */
  public AuthenticationException(String message, ApiError error) {
    super(message, error);
  }

  /** True for 403: the credentials were accepted but do not allow this request. */
  public boolean isForbidden() {
    return statusCode() == 403;
  }
}
