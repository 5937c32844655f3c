package dev.devkube.digitalocean;

import dev.devkube.Backoff;
import dev.devkube.BlockVolumes;
import dev.devkube.CloudProvider;
import dev.devkube.ClusterOptions;
import dev.devkube.Clusters;
import dev.devkube.FileShares;
import dev.devkube.Waiter;
import dev.devkube.digitalocean.internal.DoClient;
import dev.devkube.digitalocean.internal.DoClusters;
import dev.devkube.digitalocean.internal.DoFileShares;
import dev.devkube.digitalocean.internal.DoVolumes;
import dev.devkube.internal.UserAgents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;

/**
 * DigitalOcean Kubernetes (DOKS) as a {@link CloudProvider}. Holds an HTTP connection pool: make
 * one, share it, and close it when done.
 *
 * <pre>{@code
 * try (CloudProvider cloud = DigitalOcean.builder().token(token).build()) {
 *   Cluster cluster = cloud.clusters()
 *       .createOrGet(ClusterSpec.named("devkube").region("sfo2").latestVersion()
 *           .nodePool("devpool", "s-2vcpu-4gb", 2))
 *       .awaitRunning(Duration.ofMinutes(20), ProgressListener.toLog());
 *   cluster.credentials().writeTo(Path.of(".devkube", cluster.name()));
 * }
 * }</pre>
 *
 * <p>Idempotent calls are retried on 429 (after the time DigitalOcean asks for), on 500, 502, 503
 * and 504 and on dropped connections, with jittered backoff, up to {@link Builder#maxRetries}
 * times. A create is never repeated blindly: after an ambiguous failure the name is looked up and
 * an existing cluster adopted.
 */
public final class DigitalOcean implements CloudProvider {
  /** The names {@link #fromEnvironment()} reads, in order. */
  public static final List<String> TOKEN_VARIABLES =
      List.of("DIGITALOCEAN_ACCESS_TOKEN", "DIGITALOCEAN_TOKEN", "DO_TOKEN");

  private final DoClient client;
  private final DoClusters clusters;
  private final DoVolumes volumes;
  private final DoFileShares fileShares;
  private final HttpUrl baseUrl;

  private DigitalOcean(DoClient client, HttpUrl baseUrl) {
    this.client = client;
    this.clusters = new DoClusters(client);
    this.volumes = new DoVolumes(client);
    this.fileShares = new DoFileShares(client);
    this.baseUrl = baseUrl;
  }

  /** A builder; {@link Builder#token(String)} is the one thing it needs. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A provider with the token from {@code DIGITALOCEAN_ACCESS_TOKEN}, else {@code
   * DIGITALOCEAN_TOKEN}, else {@code DO_TOKEN}.
   *
   * @throws IllegalStateException when none is set, naming the variables tried
   */
  public static DigitalOcean fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  static DigitalOcean fromEnvironment(Map<String, String> environment) {
    return builder().token(tokenFrom(environment)).build();
  }

  static String tokenFrom(Map<String, String> environment) {
    for (String name : TOKEN_VARIABLES) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    throw new IllegalStateException(
        "no DigitalOcean token: set one of "
            + String.join(", ", TOKEN_VARIABLES)
            + " to an API token with the kubernetes scopes");
  }

  @Override
  public String name() {
    return "DigitalOcean";
  }

  @Override
  public Clusters clusters() {
    return clusters;
  }

  /** The regions, versions and sizes DigitalOcean offers; read once, then kept. */
  /** The account's Block Storage volumes (the ones kept from deleted clusters among them). */
  @Override
  public BlockVolumes volumes() {
    return volumes;
  }

  /** The account's managed NFS shares (Network File Storage, {@code /v2/nfs}). */
  @Override
  public FileShares fileShares() {
    return fileShares;
  }

  @Override
  public ClusterOptions options() {
    return clusters.options();
  }

  @Override
  public void close() {
    client.close();
  }

  @Override
  public String toString() {
    return "DigitalOcean[" + baseUrl + "]";
  }

  /** Configures a {@link DigitalOcean} provider; only the token is required. */
  public static final class Builder {
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");

    private @Nullable String token;
    private HttpUrl baseUrl = HttpUrl.get("https://api.digitalocean.com/");
    private @Nullable OkHttpClient okHttpClient;
    private @Nullable String userAgent;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration callTimeout = Duration.ofSeconds(60);
    private int maxRetries = 4;
    private Backoff retryBackoff =
        new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8), 2, 0.5);
    private Duration longestRetryWait = Duration.ofSeconds(30);
    private Waiter.Clock sleeper = Waiter.Clock.system();
    private Clock clock = Clock.systemUTC();
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();

    private Builder() {}

    /** The API token (a personal access token with the kubernetes scopes). Required. */
    public Builder token(String token) {
      if (token == null || !TOKEN.matcher(token).matches()) {
        throw new IllegalArgumentException(
            "the DigitalOcean token is "
                + (token == null ? "null" : "empty or contains spaces or control characters")
                + ": give the token alone, as DigitalOcean shows it (dop_v1_...)");
      }
      this.token = token;
      return this;
    }

    /** The API's address; {@code https://api.digitalocean.com/} unless set (tests, fakes). */
    public Builder baseUrl(String baseUrl) {
      HttpUrl url = HttpUrl.parse(Objects.requireNonNull(baseUrl, "baseUrl"));
      if (url == null) {
        throw new IllegalArgumentException(
            "base URL \""
                + baseUrl
                + "\" is not an http or https URL: use e.g. https://api.digitalocean.com/");
      }
      this.baseUrl =
          url.newBuilder()
              .encodedPath(
                  url.encodedPath().endsWith("/") ? url.encodedPath() : url.encodedPath() + "/")
              .build();
      return this;
    }

    /**
     * An OkHttp client to share its connection pool and dispatcher; devkube adds its interceptors
     * to a copy and never shuts the caller's client down.
     */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Your product's name and version, sent before devkube's in the User-Agent header. */
    public Builder userAgent(String product) {
      this.userAgent = Objects.requireNonNull(product, "product");
      return this;
    }

    /** How long to wait for a connection; 10 seconds unless set. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive("connect timeout", timeout);
      return this;
    }

    /** How long one call may take in all, retries included; 60 seconds unless set. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive("call timeout", timeout);
      return this;
    }

    /** How many times a retryable failure is retried; 4 unless set, 0 to never retry. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries " + maxRetries + " is outside 0 to 10");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    /** The backoff between retries; 0.5 s doubling to 8 s with 50% jitter unless set. */
    public Builder retryBackoff(Backoff backoff) {
      this.retryBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * The longest wait a 429 or 503 may ask for before a retry; a longer one is thrown as a {@link
     * dev.devkube.RateLimitException} with its {@code retryAfter()}. 30 seconds unless set (the
     * wait counts against the call timeout).
     */
    public Builder longestRetryWait(Duration wait) {
      this.longestRetryWait = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** Clocks for waits and retries; tests give ones that do not really sleep. */
    Builder clocks(Waiter.Clock sleeper, Clock clock, DoubleSupplier random) {
      this.sleeper = sleeper;
      this.clock = clock;
      this.random = random;
      return this;
    }

    /**
     * Builds the provider.
     *
     * @throws IllegalStateException when no token was given
     */
    public DigitalOcean build() {
      if (token == null) {
        throw new IllegalStateException(
            "no DigitalOcean token: call token(...) or use" + " DigitalOcean.fromEnvironment()");
      }
      String agent = UserAgents.of(userAgent, DigitalOcean.class);
      DoClient client =
          new DoClient(
              new DoClient.Settings(
                  token,
                  baseUrl,
                  okHttpClient,
                  agent,
                  connectTimeout,
                  callTimeout,
                  maxRetries,
                  retryBackoff,
                  longestRetryWait,
                  sleeper,
                  clock,
                  random));
      return new DigitalOcean(client, baseUrl);
    }

    private static Duration positive(String what, Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(what + " " + duration + " is not positive");
      }
      return duration;
    }
  }
}
