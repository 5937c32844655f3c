package dev.devkube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Waiter.Clock} for tests: time moves only when something sleeps on it or the test
 * advances it, and every sleep is recorded, so waits and retries can be checked without waiting.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * Waiter waiter = Waiter.builder().timeout(Duration.ofMinutes(1)).clock(clock).build();
 * ...
 * assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ManualClock implements Waiter.Clock {
  private long nanos;
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  /** Records {@code duration} and moves time forward by it, at once. */
  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    nanos += duration.toNanos();
  }

  /** Moves time forward without recording a sleep, e.g. for time spent working. */
  public synchronized void advance(Duration duration) {
    nanos += duration.toNanos();
  }

  /** Every sleep so far, in order. */
  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
