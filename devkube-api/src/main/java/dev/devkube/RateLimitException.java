package dev.devkube;

/**
 * The server is rate limiting this client (HTTP 429). {@link #retryAfter()} says how long to wait
 * when the server said.
 */
public class RateLimitException extends ApiException {
  private static final long serialVersionUID = 1L;

  /** An error with the provider's message and its parsed body. */
  public RateLimitException(String message, ApiError error) {
    super(message, error);
  }
}
