package dev.devkube;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Checks something repeatedly until it is done, fails, or a time limit runs out, backing off
 * between checks and reporting progress after each. The one place in devkube that waits by polling;
 * its clock is replaceable, so tests never sleep.
 *
 * <pre>{@code
 * Waiter waiter = Waiter.builder().timeout(Duration.ofMinutes(20)).build();
 * Cluster running = waiter.await("cluster devkube to be running", () -> {
 *   Cluster now = cluster.refresh();
 *   return now.status() == ClusterStatus.RUNNING ? Poll.done(now) : Poll.pending(now.status().slug());
 * }, ProgressListener.toLog());
 * }</pre>
 */
public final class Waiter {
  private final Duration timeout;
  private final Backoff backoff;
  private final Clock clock;
  private final DoubleSupplier random;

  private Waiter(Builder builder) {
    this.timeout = builder.timeout;
    this.backoff = builder.backoff;
    this.clock = builder.clock;
    this.random = builder.random;
  }

  /** A waiter with {@link Backoff#DEFAULT} and the system clock. */
  public static Waiter of(Duration timeout) {
    return builder().timeout(timeout).build();
  }

  /** A builder with the defaults: see each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this waiter's settings. */
  public Builder toBuilder() {
    return new Builder().timeout(timeout).backoff(backoff).clock(clock).random(random);
  }

  /** Returns a copy with another time limit. */
  public Waiter withTimeout(Duration timeout) {
    return toBuilder().timeout(timeout).build();
  }

  /** How long a wait may take before it fails. */
  public Duration timeout() {
    return timeout;
  }

  /** How the time between checks grows. */
  public Backoff backoff() {
    return backoff;
  }

  /** The clock waits read and sleep on. */
  public Clock clock() {
    return clock;
  }

  /** Like {@link #await(String, Supplier, ProgressListener)}, reporting no progress. */
  public <T> T await(String awaited, Supplier<Poll<T>> check) {
    return await(awaited, check, ProgressListener.none());
  }

  /**
   * Calls {@code check} until it returns {@link Poll#done}, then returns its value. The first check
   * is immediate; later ones follow the backoff, but never sooner than a pending poll's {@link
   * Poll#notBefore} and never past the time limit.
   *
   * @param awaited what is awaited, for messages: {@code cluster devkube to be running}
   * @throws WaitTimeoutException when the time limit runs out, naming the last state seen
   * @throws WaitFailedException at once when a check returns {@link Poll#failed}
   * @throws DevkubeException when the thread is interrupted (its interrupt flag is kept)
   */
  public <T> T await(String awaited, Supplier<Poll<T>> check, ProgressListener listener) {
    Objects.requireNonNull(awaited, "awaited");
    long start = clock.nanoTime();
    long limit = timeout.toNanos();
    for (int attempt = 0; ; attempt++) {
      Poll<T> poll = Objects.requireNonNull(check.get(), "check returned null");
      if (poll.isDone()) {
        return poll.value();
      }
      if (poll.isFailed()) {
        throw new WaitFailedException(awaited, poll.state(), poll.message());
      }
      long elapsed = clock.nanoTime() - start;
      Progress progress = poll.progress(awaited, Duration.ofNanos(elapsed));
      listener.progress(progress);
      long remaining = limit - elapsed;
      long delay =
          Math.max(
              backoff.delay(attempt, random.getAsDouble()).toNanos(), poll.notBefore().toNanos());
      if (remaining <= 0 || poll.notBefore().toNanos() > remaining) {
        throw new WaitTimeoutException(awaited, timeout, progress.describeState());
      }
      sleep(awaited, Duration.ofNanos(Math.min(delay, remaining)));
    }
  }

  private void sleep(String awaited, Duration delay) {
    try {
      clock.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevkubeException("interrupted while waiting for " + awaited, e);
    }
  }

  /** The time source of a waiter; tests give one that advances without sleeping. */
  public interface Clock {
    /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Blocks for {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    /** The system's monotonic clock, sleeping the calling thread. */
    static Clock system() {
      return SystemClock.INSTANCE;
    }
  }

  private enum SystemClock implements Clock {
    INSTANCE;

    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      // The only real sleep in devkube's libraries: every wait goes through a Waiter.
      TimeUnit.NANOSECONDS.sleep(duration.toNanos());
    }
  }

  /** Configures a {@link Waiter}. */
  public static final class Builder {
    private Duration timeout = Duration.ofMinutes(5);
    private Backoff backoff = Backoff.DEFAULT;
    private Clock clock = Clock.system();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /** The time limit of each wait; 5 minutes unless set. Must be positive. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "timeout "
                + timeout
                + " is not positive: give a"
                + " positive duration such as Duration.ofMinutes(5)");
      }
      this.timeout = timeout;
      return this;
    }

    /** The delays between checks; {@link Backoff#DEFAULT} unless set. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** The clock to read and sleep on; the system clock unless set. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The source of jitter, uniform in [0, 1); a thread-local random unless set. */
    public Builder random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** The waiter with what was set. */
    public Waiter build() {
      return new Waiter(this);
    }
  }
}
