package dev.devkube;

/**
 * The request conflicts with the current state (HTTP 409): the object already exists, or it changed
 * since it was read (a stale resource version). {@link #isAlreadyExists()} tells them apart.
 */
public class ConflictException extends ApiException {
  private static final long serialVersionUID = 1L;

  /** An error with the provider's message and its parsed body. */
  public ConflictException(String message, ApiError error) {
    super(message, error);
  }

  /** True when the server said the object already exists (Kubernetes reason AlreadyExists). */
  public boolean isAlreadyExists() {
    return "AlreadyExists".equalsIgnoreCase(reason())
        || "already_exists".equalsIgnoreCase(reason());
  }
}
