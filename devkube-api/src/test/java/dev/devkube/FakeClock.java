package dev.devkube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A waiter clock that advances when slept on, recording each sleep; nothing really waits. */
final class FakeClock implements Waiter.Clock {
  private long nanos = 1_000_000_000L;
  final List<Duration> sleeps = new ArrayList<>();

  @Override
  public long nanoTime() {
    return nanos;
  }

  @Override
  public void sleep(Duration duration) {
    sleeps.add(duration);
    nanos += duration.toNanos();
  }

  void advance(Duration duration) {
    nanos += duration.toNanos();
  }
}
