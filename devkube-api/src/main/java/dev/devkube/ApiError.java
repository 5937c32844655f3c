package dev.devkube;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a server said when it refused a request: the HTTP status, the server's own error id or
 * reason (DigitalOcean's {@code id}, Kubernetes' {@code reason}), its message, the request id to
 * quote to its support, field-level causes and, when sent, how long to wait before retrying.
 *
 * @param statusCode the HTTP status code, e.g. 404
 * @param reason the server's machine-readable error id or reason, e.g. {@code not_found} or {@code
 *     AlreadyExists}, if it sent one
 * @param serverMessage the server's human-readable message, verbatim, if it sent one
 * @param requestId the server's id for the request, if it sent one
 * @param causes field-level causes of a validation failure, empty when there are none
 * @param retryAfter how long the server asked the client to wait, if it said
 */
public record ApiError(
    int statusCode,
    @Nullable String reason,
    @Nullable String serverMessage,
    @Nullable String requestId,
    List<Cause> causes,
    @Nullable Duration retryAfter)
    implements Serializable {

  public ApiError {
    if (statusCode < 100 || statusCode > 599) {
      throw new IllegalArgumentException(
          "statusCode " + statusCode + " is not an HTTP status: use 100 to 599");
    }
    causes = List.copyOf(causes);
    if (retryAfter != null && retryAfter.isNegative()) {
      throw new IllegalArgumentException("retryAfter " + retryAfter + " is negative");
    }
  }

  /** An error with only a status code and the server's reason and message. */
  public static ApiError of(int statusCode, @Nullable String reason, @Nullable String message) {
    return new ApiError(statusCode, reason, message, null, List.of(), null);
  }

  /** Returns a copy with {@code requestId}. */
  public ApiError withRequestId(@Nullable String requestId) {
    return new ApiError(statusCode, reason, serverMessage, requestId, causes, retryAfter);
  }

  /** Returns a copy with {@code causes}. */
  public ApiError withCauses(List<Cause> causes) {
    return new ApiError(statusCode, reason, serverMessage, requestId, causes, retryAfter);
  }

  /** Returns a copy with {@code retryAfter}. */
  public ApiError withRetryAfter(@Nullable Duration retryAfter) {
    return new ApiError(statusCode, reason, serverMessage, requestId, causes, retryAfter);
  }

  /**
   * One reason a request was invalid, e.g. field {@code spec.ports[0].nodePort}, reason {@code
   * FieldValueInvalid}, message {@code provided port is already allocated}.
   *
   * @param field the field the server objected to, or empty when it named none
   * @param reason the server's reason code, or empty
   * @param message the server's message, verbatim
   */
  public record Cause(String field, String reason, String message) implements Serializable {
    public Cause {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
      return field.isEmpty() ? message : field + ": " + message;
    }
  }
}
