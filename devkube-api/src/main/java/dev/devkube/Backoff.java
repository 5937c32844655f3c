package dev.devkube;

import java.time.Duration;

/**
 * Exponential backoff with jitter, shared by waits and retries: the n-th delay is {@code initial *
 * multiplier^n}, capped at {@code max}, then shortened by a random fraction of up to {@code jitter}
 * so that many clients do not poll in step.
 *
 * @param initial the first delay
 * @param max the longest delay
 * @param multiplier how much each delay grows, at least 1
 * @param jitter the largest fraction a delay is randomly shortened by, 0 to 1
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {
  /** For waits: 2 s, doubling, up to 15 s, with 20% jitter. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(15), 2, 0.2);

  public Backoff {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial " + initial + " is not positive");
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max " + max + " is shorter than initial " + initial);
    }
    if (!(multiplier >= 1)) {
      throw new IllegalArgumentException("multiplier " + multiplier + " is below 1");
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter " + jitter + " is outside 0 to 1");
    }
  }

  /**
   * The delay before retry number {@code attempt} (0 for the first), given {@code random}, a
   * uniformly distributed number in [0, 1).
   */
  public Duration delay(int attempt, double random) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt " + attempt + " is negative");
    }
    double nanos =
        Math.min((double) max.toNanos(), initial.toNanos() * Math.pow(multiplier, attempt));
    return Duration.ofNanos((long) (nanos * (1 - jitter * random)));
  }
}
