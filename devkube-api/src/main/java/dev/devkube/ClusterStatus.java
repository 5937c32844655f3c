package dev.devkube;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The state of a cluster, as the provider reports it. States a provider adds later read as {@link
 * #UNKNOWN} rather than failing.
 */
public enum ClusterStatus {
  /** Being created; not usable yet. */
  PROVISIONING,
  /** Usable. */
  RUNNING,
  /** Usable, but some part is unhealthy. */
  DEGRADED,
  /** Being upgraded to a new Kubernetes version. */
  UPGRADING,
  /** Being deleted. */
  DELETING,
  /** Deleted. */
  DELETED,
  /** Failed; the provider's message says why. */
  ERROR,
  /** Rejected by the provider as invalid. */
  INVALID,
  /** A state this version of devkube does not know. */
  UNKNOWN;

  /**
   * Maps a provider's state name, in any case, to a status; unknown or missing names give UNKNOWN.
   */
  public static ClusterStatus parse(@Nullable String state) {
    if (state == null || state.isBlank()) {
      return UNKNOWN;
    }
    try {
      return valueOf(state.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return UNKNOWN;
    }
  }

  /** Whether a cluster in this state will not become {@link #RUNNING} without help. */
  public boolean isFailure() {
    return this == ERROR || this == INVALID || this == DELETING || this == DELETED;
  }

  /** The provider-style lower-case name, e.g. {@code provisioning}. */
  public String slug() {
    return name().toLowerCase(Locale.ROOT);
  }
}
