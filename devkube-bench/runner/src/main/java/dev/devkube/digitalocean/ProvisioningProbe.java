package dev.devkube.digitalocean;

import dev.devkube.Cluster;
import dev.devkube.ClusterSpec;
import dev.devkube.ManualClock;
import dev.devkube.ProgressListener;
import dev.devkube.testkit.FakeDigitalOcean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Provisioning against FakeDigitalOcean on simulated time: the provider's waits and the fake's
 * clock share one {@link ManualClock}, so minutes of provisioning pass in milliseconds. Lives in
 * the provider's package for its package-private {@code clocks(...)}, as the provider's tests do.
 */
public final class ProvisioningProbe {
  /**
   * What one provisioning cost.
   *
   * @param requests requests the provider made while waiting
   * @param busiestMinute the most requests in any 60 simulated seconds of the wait
   * @param delay from "running" on the server to {@code awaitRunning} returning, simulated time
   */
  public record Result(int requests, int busiestMinute, Duration delay) {}

  private ProvisioningProbe() {}

  public static Result run(Duration provisioning) {
    ManualClock waits = new ManualClock();
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    Clock wall =
        new Clock() {
          @Override
          public ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return base.plusNanos(waits.nanoTime());
          }
        };
    try (FakeDigitalOcean fake =
            FakeDigitalOcean.builder().clock(wall).provisioningTime(provisioning).start();
        DigitalOcean cloud =
            DigitalOcean.builder()
                .token(FakeDigitalOcean.TOKEN)
                .baseUrl(fake.url().toString())
                .clocks(waits, wall, () -> 0.5)
                .build()) {
      Cluster cluster =
          cloud
              .clusters()
              .create(
                  ClusterSpec.named("bench")
                      .region("sfo2")
                      .latestVersion()
                      .nodePool("pool", "s-2vcpu-4gb", 2));
      Instant runningAt = wall.instant().plus(provisioning);
      int before = fake.requests().size();
      int sleepsBefore = waits.sleeps().size();
      cluster.awaitRunning(provisioning.multipliedBy(4), ProgressListener.none());
      Duration delay = Duration.between(runningAt, wall.instant());
      // Each sleep is followed by one poll: the polls' times are the running sums of the sleeps.
      List<Long> pollMillis = new ArrayList<>();
      long at = 0;
      pollMillis.add(at);
      for (Duration sleep : waits.sleeps().subList(sleepsBefore, waits.sleeps().size())) {
        at += sleep.toMillis();
        pollMillis.add(at);
      }
      int busiest = 0;
      for (int i = 0; i < pollMillis.size(); i++) {
        int inWindow = 0;
        for (int j = i;
            j < pollMillis.size() && pollMillis.get(j) - pollMillis.get(i) < 60_000;
            j++) {
          inWindow++;
        }
        busiest = Math.max(busiest, inWindow);
      }
      return new Result(fake.requests().size() - before, busiest, delay);
    }
  }
}
