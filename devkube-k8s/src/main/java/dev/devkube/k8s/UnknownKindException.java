package dev.devkube.k8s;

import dev.devkube.DevkubeException;
import org.jspecify.annotations.Nullable;

/**
 * The API server serves no such kind: its group-version is not served at all, or serves other kinds
 * (a missing CRD, a typo, an API removed in this Kubernetes version). Names the apiVersion and kind
 * asked for, as client-go's {@code NoKindMatchError} does.
 */
public class UnknownKindException extends DevkubeException {
  private static final long serialVersionUID = 1L;

  private final String apiVersion;
  private final String kind;

  /**
   * The server does not serve {@code kind} of {@code apiVersion}; {@code message} says what it
   * serves.
   */
  public UnknownKindException(
      String message, String apiVersion, String kind, @Nullable Throwable cause) {
    super(message, cause);
    this.apiVersion = apiVersion;
    this.kind = kind;
  }

  /** The apiVersion asked for, e.g. {@code example.com/v1}. */
  public String apiVersion() {
    return apiVersion;
  }

  /** The kind asked for, e.g. {@code Widget}. */
  public String kind() {
    return kind;
  }
}
