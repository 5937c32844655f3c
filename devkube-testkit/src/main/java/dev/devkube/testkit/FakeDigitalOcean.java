package dev.devkube.testkit;

import dev.devkube.testkit.internal.DoAccount;
import dev.devkube.testkit.internal.DoHttp;
import dev.devkube.testkit.internal.DoRoutes;
import dev.devkube.testkit.internal.DoSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * DigitalOcean's Kubernetes API, faked for tests and demos: token check, validation, pagination,
 * rate-limit headers and 429s, clusters that go from {@code provisioning} to {@code running} over a
 * configurable time, each backed by its own {@link FakeKubernetes} once running (its credentials
 * and kubeconfig endpoints point there), deletion with the volumes its claims created.
 *
 * <pre>{@code
 * try (FakeDigitalOcean fake = FakeDigitalOcean.start();
 *     CloudProvider cloud = DigitalOcean.builder().token(FakeDigitalOcean.TOKEN)
 *         .baseUrl(fake.url().toString()).build()) {
 *   Cluster cluster = cloud.clusters().create(spec).awaitRunning(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class FakeDigitalOcean implements AutoCloseable {
  /** The token a fake accepts unless told otherwise. */
  public static final String TOKEN = "dop_v1_fake_devkube_token";

  private final DoHttp http;
  private final DoAccount account;

  private FakeDigitalOcean(DoSettings settings) throws IOException {
    this.account = new DoAccount(settings);
    this.http = new DoHttp(settings);
    http.start(new DoRoutes(account, http.url()));
  }

  /** A fake accepting {@link #TOKEN}, provisioning clusters in one second. */
  public static FakeDigitalOcean start() {
    return builder().start();
  }

  /** A builder with the defaults: see each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** The API's base URL, for {@code DigitalOcean.builder().baseUrl(...)}. */
  public URI url() {
    return http.url();
  }

  /** Every request received so far, in order. */
  public List<ApiRequest> requests() {
    return http.requests();
  }

  /** The running fake cluster behind a DigitalOcean cluster id, once it is running. */
  public @Nullable FakeKubernetes kubernetes(String clusterId) {
    return account.kubernetes(clusterId);
  }

  /** The account's block storage volumes (id to name), created by clusters' claims. */
  public Map<String, String> volumes() {
    return account.volumes();
  }

  /** The ids of the clusters the account has. */
  public List<String> clusterIds() {
    return account.clusterIds();
  }

  /**
   * Makes the next {@code count} requests that match ({@code method}, or any when null, and a path
   * starting with {@code pathPrefix}) take effect and then lose their answer: the connection is
   * dropped without one, as when a network fails after DigitalOcean acted. For tests of what a
   * client does after a lost answer.
   */
  public FakeDigitalOcean loseNextAnswers(int count, @Nullable String method, String pathPrefix) {
    if (count < 1) {
      throw new IllegalArgumentException("count " + count + " is below 1");
    }
    http.loseAnswers(count, method, pathPrefix);
    return this;
  }

  /** Stops the server and every cluster's fake API server. */
  @Override
  public void close() {
    account.close();
    http.close();
  }

  @Override
  public String toString() {
    return "FakeDigitalOcean[" + url() + "]";
  }

  /** Configures a {@link FakeDigitalOcean}. */
  public static final class Builder {
    private Set<String> tokens = Set.of(TOKEN);
    private Duration provisioningTime = Duration.ofSeconds(1);
    private List<String> regions = List.of("nyc1", "sfo2", "sfo3", "ams3", "fra1");
    private List<String> versions = List.of("1.33.1-do.0", "1.32.5-do.1", "1.31.9-do.3");
    private List<String> sizes = List.of("s-1vcpu-2gb", "s-2vcpu-4gb", "s-4vcpu-8gb");
    private int ratePerMinute = 250;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The tokens accepted; others get DigitalOcean's 401. */
    public Builder tokens(String... tokens) {
      this.tokens = Set.of(tokens);
      return this;
    }

    /** How long a new cluster provisions before it runs (default 1 s). */
    public Builder provisioningTime(Duration time) {
      this.provisioningTime = Objects.requireNonNull(time, "time");
      return this;
    }

    /** The region slugs offered. */
    public Builder regions(String... regions) {
      this.regions = List.of(regions);
      return this;
    }

    /** The versions offered, newest first. */
    public Builder versions(String... versions) {
      this.versions = List.of(versions);
      return this;
    }

    /** The node size slugs offered. */
    public Builder sizes(String... sizes) {
      this.sizes = List.of(sizes);
      return this;
    }

    /** Requests allowed per minute before 429s (default 250, as DigitalOcean). */
    public Builder rateLimitPerMinute(int perMinute) {
      this.ratePerMinute = perMinute;
      return this;
    }

    /** The clock that provisioning time is measured on (tests may move it by hand). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Starts the fake on a free loopback port; close it when done. */
    public FakeDigitalOcean start() {
      try {
        return new FakeDigitalOcean(
            new DoSettings(
                tokens, provisioningTime, regions, versions, sizes, ratePerMinute, clock));
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the fake DigitalOcean API", e);
      }
    }
  }
}
