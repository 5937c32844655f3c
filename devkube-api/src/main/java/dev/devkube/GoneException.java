package dev.devkube;

/**
 * What was asked for is no longer available (HTTP 410), e.g. a Kubernetes watch whose resource
 * version is too old: list again.
 */
public class GoneException extends ApiException {
  private static final long serialVersionUID = 1L;

  /** An error with the provider's message and its parsed body. */
  public GoneException(String message, ApiError error) {
    super(message, error);
  }
}
