package dev.devkube;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The server refused a request. Carries the HTTP status, the server's error id or reason, its
 * message verbatim and its request id, so that a caller can decide what to do and quote the id to
 * the provider's support.
 *
 * <p>{@link #of} picks the most specific subclass for a status code: {@link NotFoundException}
 * (404), {@link ConflictException} (409), {@link AuthenticationException} (401, 403), {@link
 * GoneException} (410), {@link InvalidException} (422), {@link RateLimitException} (429).
 */
public class ApiException extends DevkubeException {
  private static final long serialVersionUID = 1L;

  private final ApiError error;

  /** An error with the provider's message and its parsed body (status, message, request id). */
  public ApiException(String message, ApiError error) {
    super(describe(message, error));
    this.error = error;
  }

  /** Returns the exception of the subclass that fits {@code error}'s status code. */
  public static ApiException of(String message, ApiError error) {
    return switch (error.statusCode()) {
      case 401, 403 -> new AuthenticationException(message, error);
      case 404 -> new NotFoundException(message, error);
      case 409 -> new ConflictException(message, error);
      case 410 -> new GoneException(message, error);
      case 422 -> new InvalidException(message, error);
      case 429 -> new RateLimitException(message, error);
      default -> new ApiException(message, error);
    };
  }

  private static String describe(String message, ApiError error) {
    StringBuilder result = new StringBuilder(message).append(" (HTTP ").append(error.statusCode());
    if (error.reason() != null && !error.reason().isEmpty()) {
      result.append(' ').append(error.reason());
    }
    if (error.requestId() != null && !error.requestId().isEmpty()) {
      result.append(", request id ").append(error.requestId());
    }
    return result.append(')').toString();
  }

  /** Everything the server said. */
  public ApiError error() {
    return error;
  }

  /** The HTTP status code, e.g. 404. */
  public int statusCode() {
    return error.statusCode();
  }

  /** The server's machine-readable error id or reason, if it sent one. */
  public @Nullable String reason() {
    return error.reason();
  }

  /** The server's message, verbatim, if it sent one. */
  public @Nullable String serverMessage() {
    return error.serverMessage();
  }

  /** The server's id for the failed request, if it sent one. */
  public @Nullable String requestId() {
    return error.requestId();
  }

  /** Field-level causes, empty when the server gave none. */
  public List<ApiError.Cause> causes() {
    return error.causes();
  }

  /** How long the server asked the client to wait before retrying, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(error.retryAfter());
  }

  /**
   * Whether the same request may succeed if sent again later: rate limits (429) and transient
   * server errors (500, 502, 503, 504). Whether it is <em>safe</em> to resend is a separate
   * question: a create may have taken effect even though it failed.
   */
  public boolean isRetryable() {
    int code = error.statusCode();
    return code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
  }
}
