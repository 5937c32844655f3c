package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaiterTest {
  private final ManualClock clock = new ManualClock();
  private final List<Progress> reports = new ArrayList<>();

  private Waiter waiter(Duration timeout) {
    return Waiter.builder().timeout(timeout).clock(clock).random(() -> 0).build();
  }

  @Test
  void returnsTheValueOnceDoneBackingOffBetweenChecks() {
    AtomicInteger checks = new AtomicInteger();

    String result =
        waiter(Duration.ofMinutes(5))
            .await(
                "thing to be ready",
                () -> checks.incrementAndGet() < 6 ? Poll.pending("starting") : Poll.done("ready"),
                reports::add);

    assertThat(result).isEqualTo("ready");
    assertThat(checks).hasValue(6);
    assertThat(clock.sleeps())
        .containsExactly(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(15),
            Duration.ofSeconds(15));
    assertThat(reports).hasSize(5);
  }

  @Test
  void firstCheckIsImmediate() {
    assertThat(waiter(Duration.ofSeconds(1)).await("x", () -> Poll.done(42))).isEqualTo(42);
    assertThat(clock.sleeps()).isEmpty();
  }

  @Test
  void reportsStateMessagePartsAndElapsedTime() {
    AtomicInteger checks = new AtomicInteger();

    waiter(Duration.ofMinutes(5))
        .await(
            "cluster devkube to be running",
            () -> {
              int n = checks.incrementAndGet();
              return n == 3
                  ? Poll.done("ok")
                  : Poll.pending("provisioning", "creating nodes", n - 1, 2);
            },
            reports::add);

    assertThat(reports)
        .containsExactly(
            new Progress(
                "cluster devkube to be running",
                "provisioning",
                "creating nodes",
                0,
                2,
                Duration.ZERO),
            new Progress(
                "cluster devkube to be running",
                "provisioning",
                "creating nodes",
                1,
                2,
                Duration.ofSeconds(2)));
    assertThat(reports.get(1))
        .hasToString("cluster devkube to be running: provisioning (creating nodes), 1/2 ready, 2s");
  }

  @Test
  void timesOutNamingWhatWasAwaitedAndTheLastState() {
    AtomicInteger checks = new AtomicInteger();

    assertThatThrownBy(
            () ->
                waiter(Duration.ofSeconds(30))
                    .await(
                        "cluster devkube to be running",
                        () ->
                            Poll.pending("provisioning", "step " + checks.incrementAndGet(), 0, 0)))
        .isInstanceOfSatisfying(
            WaitTimeoutException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "timed out after 30s waiting for cluster devkube to be running;"
                          + " last state: provisioning (step 6)");
              assertThat(e.awaited()).isEqualTo("cluster devkube to be running");
              assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(30));
              assertThat(e.lastState()).isEqualTo("provisioning (step 6)");
            });
    // 2 + 4 + 8 + 15 = 29 s, then 1 s up to the limit, then the last check: never past the limit.
    assertThat(clock.sleeps())
        .containsExactly(
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(8),
            Duration.ofSeconds(15),
            Duration.ofSeconds(1));
  }

  @Test
  void failsAtOnceOnAFailedState() {
    AtomicInteger checks = new AtomicInteger();

    assertThatThrownBy(
            () ->
                waiter(Duration.ofMinutes(20))
                    .await(
                        "cluster devkube to be running",
                        () ->
                            checks.incrementAndGet() < 2
                                ? Poll.pending("provisioning")
                                : Poll.failed("error", "droplet limit exceeded")))
        .isInstanceOfSatisfying(
            WaitFailedException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "gave up waiting for cluster devkube to be running: state error:"
                          + " droplet limit exceeded");
              assertThat(e.state()).isEqualTo("error");
            });
    assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void notBeforeStretchesTheDelayAndEndsTheWaitIfItPassesTheLimit() {
    AtomicInteger checks = new AtomicInteger();

    String result =
        waiter(Duration.ofMinutes(5))
            .await(
                "x",
                () ->
                    checks.incrementAndGet() == 1
                        ? Poll.<String>pending("rate limited").notBefore(Duration.ofSeconds(40))
                        : Poll.done("ok"));

    assertThat(result).isEqualTo("ok");
    assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(40));

    assertThatThrownBy(
            () ->
                waiter(Duration.ofSeconds(10))
                    .await(
                        "y", () -> Poll.pending("rate limited").notBefore(Duration.ofMinutes(1))))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage("timed out after 10s waiting for y; last state: rate limited");
    // No sleep: waiting a minute would pass the limit, so the wait ends at once.
    assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(40));
  }

  @Test
  void timeSpentInChecksCountsAgainstTheLimit() {
    assertThatThrownBy(
            () ->
                waiter(Duration.ofSeconds(10))
                    .await(
                        "slow thing",
                        () -> {
                          clock.advance(Duration.ofSeconds(6));
                          return Poll.pending("busy");
                        }))
        .isInstanceOf(WaitTimeoutException.class);
    assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void interruptionEndsTheWaitAndKeepsTheFlag() {
    Waiter interrupted =
        Waiter.builder()
            .timeout(Duration.ofMinutes(1))
            .clock(
                new Waiter.Clock() {
                  @Override
                  public long nanoTime() {
                    return 0;
                  }

                  @Override
                  public void sleep(Duration duration) throws InterruptedException {
                    throw new InterruptedException();
                  }
                })
            .build();

    try {
      assertThatThrownBy(() -> interrupted.await("x", () -> Poll.pending("waiting")))
          .isExactlyInstanceOf(DevkubeException.class)
          .hasMessage("interrupted while waiting for x");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void systemClockReallySleeps() throws InterruptedException {
    Waiter.Clock system = Waiter.Clock.system();
    long before = system.nanoTime();
    system.sleep(Duration.ofMillis(5));
    assertThat(system.nanoTime() - before).isGreaterThanOrEqualTo(Duration.ofMillis(5).toNanos());
  }

  @Test
  void timeoutMustBePositive() {
    assertThatThrownBy(() -> Waiter.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "timeout PT0S is not positive: give a positive duration such as"
                + " Duration.ofMinutes(5)");
    assertThat(Waiter.of(Duration.ofMinutes(1)).withTimeout(Duration.ofSeconds(3)).timeout())
        .isEqualTo(Duration.ofSeconds(3));
  }
}
