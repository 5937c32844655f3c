package dev.devkube.digitalocean.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;

/**
 * Reads DigitalOcean's rate-limit headers: remembers the last {@code ratelimit-remaining} and
 * {@code ratelimit-reset} seen, so that waits never poll into an exhausted quota, and works out how
 * long a 429 asks the client to wait.
 */
final class RateLimits implements Interceptor {
  private final Clock clock;
  private volatile int remaining = Integer.MAX_VALUE;
  private volatile long resetEpochSecond;

  RateLimits(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Response response = chain.proceed(chain.request());
    Integer left = intHeader(response.headers(), "ratelimit-remaining");
    Integer reset = intHeader(response.headers(), "ratelimit-reset");
    if (left != null) {
      remaining = left;
    }
    if (reset != null) {
      resetEpochSecond = reset;
    }
    return response;
  }

  /** How long to hold off before the next request: until the reset when the quota is spent. */
  Duration delayBeforeNextRequest() {
    if (remaining > 0) {
      return Duration.ZERO;
    }
    Duration untilReset =
        Duration.between(clock.instant(), Instant.ofEpochSecond(resetEpochSecond));
    return untilReset.isNegative() ? Duration.ZERO : untilReset;
  }

  /**
   * How long a response asks the client to wait: its {@code Retry-After} (seconds or an HTTP date),
   * else, for a 429, until its {@code ratelimit-reset}; null when it says neither.
   */
  static @Nullable Duration retryAfter(Response response, Clock clock) {
    Headers headers = response.headers();
    Integer seconds = intHeader(headers, "Retry-After");
    if (seconds != null) {
      return Duration.ofSeconds(Math.max(0, seconds));
    }
    Date date = headers.getDate("Retry-After");
    if (date != null) {
      return nonNegative(Duration.between(clock.instant(), date.toInstant()));
    }
    Integer reset = intHeader(headers, "ratelimit-reset");
    if (response.code() == 429 && reset != null) {
      return nonNegative(Duration.between(clock.instant(), Instant.ofEpochSecond(reset)));
    }
    return null;
  }

  private static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }

  private static @Nullable Integer intHeader(Headers headers, String name) {
    String value = headers.get(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.valueOf(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
