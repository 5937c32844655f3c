package dev.devkube.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.devkube.testkit.internal.DoCluster;
import dev.devkube.testkit.internal.Doc;
import dev.devkube.testkit.internal.Http;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  private static final Pattern CLUSTER = Pattern.compile("/v2/kubernetes/clusters/([^/]+)(/.*)?");
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Builder settings;
  private final Map<String, DoCluster> clusters = new LinkedHashMap<>();
  private final Map<String, FakeKubernetes> kubernetes = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> volumes = new ConcurrentHashMap<>();
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
  private long windowStart;
  private int usedInWindow;

  private FakeDigitalOcean(Builder builder) throws IOException {
    this.settings = builder;
    Http.noDelay();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "fake-digitalocean-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A fake accepting {@link #TOKEN}, provisioning clusters in one second. */
  public static FakeDigitalOcean start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The API's base URL, for {@code DigitalOcean.builder().baseUrl(...)}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Every request received so far, in order. */
  public List<ApiRequest> requests() {
    return List.copyOf(requests);
  }

  /** The running fake cluster behind a DigitalOcean cluster id, once it is running. */
  public synchronized @Nullable FakeKubernetes kubernetes(String clusterId) {
    return kubernetes.get(clusterId);
  }

  /** The account's block storage volumes (id to name), created by clusters' claims. */
  public Map<String, String> volumes() {
    Map<String, String> all = new LinkedHashMap<>();
    volumes.values().forEach(all::putAll);
    return all;
  }

  /** The ids of the clusters the account has. */
  public synchronized List<String> clusterIds() {
    return new ArrayList<>(clusters.keySet());
  }

  private Instant now() {
    return settings.clock.instant();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String body = Http.body(exchange);
    requests.add(
        new ApiRequest(
            method,
            path,
            Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), ""),
            String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
            body));
    try {
      if (!settings.tokens.contains(bearer(exchange))) {
        error(exchange, 401, "unauthorized", "Unable to authenticate you.");
        return;
      }
      if (!withinRateLimit(exchange)) {
        error(exchange, 429, "too_many_requests", "API Rate limit exceeded.");
        return;
      }
      route(exchange, method, path, body);
    } catch (DoError e) {
      error(exchange, e.code, e.id, e.getMessage());
    } catch (RuntimeException e) {
      error(exchange, 500, "server_error", "Server Error: " + e);
    }
  }

  private static @Nullable String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
  }

  private synchronized boolean withinRateLimit(HttpExchange exchange) {
    long minute = now().getEpochSecond() / 60;
    if (minute != windowStart) {
      windowStart = minute;
      usedInWindow = 0;
    }
    usedInWindow++;
    int remaining = Math.max(0, settings.ratePerMinute - usedInWindow);
    exchange.getResponseHeaders().set("ratelimit-limit", String.valueOf(settings.ratePerMinute));
    exchange.getResponseHeaders().set("ratelimit-remaining", String.valueOf(remaining));
    exchange.getResponseHeaders().set("ratelimit-reset", String.valueOf((minute + 1) * 60));
    return usedInWindow <= settings.ratePerMinute;
  }

  private void route(HttpExchange exchange, String method, String path, String body)
      throws IOException {
    if (path.equals("/v2/kubernetes/options") && method.equals("GET")) {
      List<Object> versions = new ArrayList<>();
      settings.versions.forEach(
          v ->
              versions.add(
                  Doc.obj(
                      "slug",
                      v,
                      "kubernetes_version",
                      v.split("-", -1)[0],
                      "supported_features",
                      List.of("cluster-autoscaler", "ha-control-plane"))));
      List<Object> regions = new ArrayList<>();
      settings.regions.forEach(
          r -> regions.add(Doc.obj("name", r.toUpperCase(java.util.Locale.ROOT), "slug", r)));
      List<Object> sizes = new ArrayList<>();
      settings.sizes.forEach(s -> sizes.add(Doc.obj("name", s, "slug", s)));
      Http.json(
          exchange,
          200,
          Doc.obj("options", Doc.obj("regions", regions, "versions", versions, "sizes", sizes)));
      return;
    }
    if (path.equals("/v2/kubernetes/clusters")) {
      if (method.equals("GET")) {
        list(exchange);
      } else if (method.equals("POST")) {
        Http.json(exchange, 201, Doc.obj("kubernetes_cluster", create(parse(body))));
      } else {
        throw new DoError(405, "method_not_allowed", "Method Not Allowed");
      }
      return;
    }
    Matcher matcher = CLUSTER.matcher(path);
    if (!matcher.matches()) {
      throw notFound();
    }
    new ClusterCalls(cluster(matcher.group(1)))
        .handle(exchange, method, matcher.group(2) == null ? "" : matcher.group(2), body);
  }

  private void list(HttpExchange exchange) throws IOException {
    Map<String, String> query = Http.query(exchange);
    int perPage =
        Math.max(1, Math.min(200, Integer.parseInt(query.getOrDefault("per_page", "20"))));
    int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
    List<Object> all = new ArrayList<>();
    synchronized (this) {
      for (DoCluster cluster : clusters.values()) {
        all.add(clusterJson(cluster));
      }
    }
    int from = Math.min(all.size(), (page - 1) * perPage);
    int to = Math.min(all.size(), from + perPage);
    int last = Math.max(1, (all.size() + perPage - 1) / perPage);
    Map<String, @Nullable Object> pages = Doc.obj();
    if (page < last) {
      pages.put(
          "next", url() + "v2/kubernetes/clusters?page=" + (page + 1) + "&per_page=" + perPage);
      pages.put("last", url() + "v2/kubernetes/clusters?page=" + last + "&per_page=" + perPage);
    }
    Http.json(
        exchange,
        200,
        Doc.obj(
            "kubernetes_clusters",
            all.subList(from, to),
            "links",
            pages.isEmpty() ? Doc.obj() : Doc.obj("pages", pages),
            "meta",
            Doc.obj("total", (long) all.size())));
  }

  private synchronized Map<String, @Nullable Object> create(Map<String, @Nullable Object> request) {
    String name = Doc.string(request, "name");
    List<String> problems = new ArrayList<>();
    if (name == null || !LABEL.matcher(name).matches() || name.length() > 63) {
      problems.add("name must be a valid DNS label");
    }
    for (DoCluster other : clusters.values()) {
      if (other.name.equals(name)) {
        throw new DoError(422, "unprocessable_entity", "a cluster with this name already exists");
      }
    }
    String region = Doc.string(request, "region");
    if (!settings.regions.contains(region)) {
      problems.add("region is not available for Kubernetes: " + region);
    }
    String version = Doc.string(request, "version");
    if ("latest".equals(version)) {
      version = settings.versions.get(0);
    } else if (!settings.versions.contains(version)) {
      problems.add("version is not supported: " + version);
    }
    List<Object> pools = Doc.list(request, "node_pools");
    if (pools.isEmpty()) {
      problems.add("at least one node pool is required");
    }
    for (Object pool : pools) {
      if (!settings.sizes.contains(String.valueOf(Doc.get(pool, "size")))) {
        problems.add("size is not available: " + Doc.get(pool, "size"));
      }
      Object count = Doc.get(pool, "count");
      if (!(count instanceof Number number) || number.intValue() < 1) {
        problems.add("node pool count must be at least 1");
      }
    }
    if (!problems.isEmpty()) {
      throw new DoError(422, "unprocessable_entity", String.join("; ", problems));
    }
    String id = UUID.randomUUID().toString();
    List<String> tags = new ArrayList<>();
    Doc.list(request, "tags").forEach(t -> tags.add(String.valueOf(t)));
    tags.addAll(List.of("k8s", "k8s:" + id));
    Map<String, @Nullable Object> maintenance =
        Doc.get(request, "maintenance_policy") instanceof Map
            ? Doc.copy(Doc.map(request, "maintenance_policy"))
            : Doc.obj("start_time", "00:00", "day", "any");
    maintenance.put("duration", "4h0m0s");
    DoCluster cluster =
        new DoCluster(
            id,
            Objects.requireNonNull(name),
            Objects.requireNonNull(region),
            Objects.requireNonNull(version),
            now(),
            settings.provisioningTime,
            tags,
            Boolean.TRUE.equals(request.get("auto_upgrade")),
            Boolean.TRUE.equals(request.get("surge_upgrade")),
            Boolean.TRUE.equals(request.get("ha")),
            Doc.string(request, "vpc_uuid"),
            maintenance);
    for (Object pool : pools) {
      cluster.pools.add(pool(Doc.copyObject(pool), id));
    }
    clusters.put(id, cluster);
    return cluster.json(now());
  }

  private static Map<String, @Nullable Object> pool(
      Map<String, @Nullable Object> pool, String clusterId) {
    pool.put("id", UUID.randomUUID().toString());
    List<Object> tags = Doc.list(pool, "tags");
    tags.addAll(List.of("k8s", "k8s:" + clusterId, "k8s:worker"));
    pool.put("tags", tags);
    pool.putIfAbsent("labels", null);
    pool.putIfAbsent("auto_scale", false);
    pool.putIfAbsent("min_nodes", 0L);
    pool.putIfAbsent("max_nodes", 0L);
    pool.putIfAbsent("taints", List.of());
    return pool;
  }

  /** The cluster's JSON now; starts its FakeKubernetes the first time it is seen running. */
  private synchronized Map<String, @Nullable Object> clusterJson(DoCluster cluster) {
    if (!cluster.state(now()).equals("provisioning") && cluster.endpoint == null) {
      int nodes = cluster.pools.stream().mapToInt(DoCluster::count).sum();
      FakeKubernetes fake =
          FakeKubernetes.builder()
              .name(cluster.name)
              .nodes(nodes)
              .storageClasses("do-block-storage")
              .token("doks-" + UUID.randomUUID())
              .start();
      Map<String, String> clusterVolumes =
          volumes.computeIfAbsent(cluster.id, k -> new ConcurrentHashMap<>());
      fake.onVolume(
          pv ->
              clusterVolumes.put(
                  UUID.randomUUID().toString(), String.valueOf(Doc.string(pv, "metadata.name"))));
      kubernetes.put(cluster.id, fake);
      cluster.endpoint = fake.url().toString();
    }
    return cluster.json(now());
  }

  private synchronized DoCluster cluster(String id) {
    DoCluster cluster = clusters.get(id);
    if (cluster == null) {
      throw notFound();
    }
    return cluster;
  }

  private static DoError notFound() {
    return new DoError(404, "not_found", "The resource you were accessing could not be found.");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> parse(String body) {
    try {
      Object parsed = Doc.parse(body);
      if (parsed instanceof Map) {
        return (Map<String, @Nullable Object>) parsed;
      }
    } catch (IOException e) {
      // fall through
    }
    throw new DoError(400, "bad_request", "the request body is not a JSON object");
  }

  private static void error(HttpExchange exchange, int code, String id, @Nullable String message)
      throws IOException {
    exchange.getResponseHeaders().set("x-request-id", UUID.randomUUID().toString());
    Http.json(
        exchange,
        code,
        Doc.obj("id", id, "message", message, "request_id", UUID.randomUUID().toString()));
  }

  /** The verbs on one cluster. */
  private final class ClusterCalls {
    private final DoCluster cluster;

    ClusterCalls(DoCluster cluster) {
      this.cluster = cluster;
    }

    void handle(HttpExchange exchange, String method, String rest, String body) throws IOException {
      String call = method + " " + rest;
      if (call.equals("GET ")) {
        Http.json(exchange, 200, Doc.obj("kubernetes_cluster", clusterJson(cluster)));
      } else if (call.equals("PUT ")) {
        update(parse(body));
        Http.json(exchange, 202, Doc.obj("kubernetes_cluster", clusterJson(cluster)));
      } else if (call.equals("DELETE ")) {
        delete(List.of());
        Http.send(exchange, 204, "application/json", "");
      } else if (call.equals("GET /destroy_with_associated_resources")) {
        List<Object> found = new ArrayList<>();
        volumes
            .getOrDefault(cluster.id, Map.of())
            .forEach((id, name) -> found.add(Doc.obj("id", id, "name", name)));
        Http.json(
            exchange,
            200,
            Doc.obj("load_balancers", List.of(), "volumes", found, "volume_snapshots", List.of()));
      } else if (call.equals("DELETE /destroy_with_associated_resources/selective")) {
        List<String> ids = new ArrayList<>();
        Doc.list(parse(body), "volumes").forEach(v -> ids.add(String.valueOf(v)));
        delete(ids);
        Http.send(exchange, 204, "application/json", "");
      } else if (call.equals("DELETE /destroy_with_associated_resources/dangerous")) {
        delete(new ArrayList<>(volumes.getOrDefault(cluster.id, Map.of()).keySet()));
        Http.send(exchange, 204, "application/json", "");
      } else if (call.equals("GET /credentials") || call.equals("GET /kubeconfig")) {
        clusterJson(cluster);
        FakeKubernetes fake = kubernetes.get(cluster.id);
        if (fake == null) {
          throw new DoError(
              404, "not_found", "The cluster is still provisioning: its credentials are not ready");
        }
        if (call.equals("GET /kubeconfig")) {
          Http.send(exchange, 200, "application/yaml", fake.kubeconfig());
        } else {
          Http.json(
              exchange,
              200,
              Doc.obj(
                  "server",
                  fake.url().toString(),
                  "certificate_authority_data",
                  base64(fake.credentials().caCertificate()),
                  "client_certificate_data",
                  null,
                  "client_key_data",
                  null,
                  "token",
                  fake.credentials().token(),
                  "expires_at",
                  now().plus(Duration.ofDays(7)).toString()));
        }
      } else if (call.equals("GET /upgrades")) {
        List<Object> newer = new ArrayList<>();
        for (String version : settings.versions) {
          if (!version.equals(cluster.version)
              && settings.versions.indexOf(version) < settings.versions.indexOf(cluster.version)) {
            newer.add(Doc.obj("slug", version, "kubernetes_version", version.split("-", -1)[0]));
          }
        }
        Http.json(
            exchange, 200, Doc.obj("available_upgrade_versions", newer.isEmpty() ? null : newer));
      } else if (call.equals("POST /upgrade")) {
        cluster.version = String.valueOf(Doc.string(parse(body), "version"));
        cluster.upgradeUntil = now().plus(settings.provisioningTime);
        Http.send(exchange, 202, "application/json", "");
      } else if (call.equals("GET /node_pools")) {
        Http.json(
            exchange, 200, Doc.obj("node_pools", Doc.get(clusterJson(cluster), "node_pools")));
      } else if (call.equals("POST /node_pools")) {
        Map<String, @Nullable Object> pool = pool(parse(body), cluster.id);
        synchronized (FakeDigitalOcean.this) {
          cluster.pools.add(pool);
        }
        Http.json(exchange, 201, Doc.obj("node_pool", pool));
      } else if (rest.startsWith("/node_pools/")) {
        nodePool(exchange, method, rest.substring("/node_pools/".length()), body);
      } else {
        throw notFound();
      }
    }

    private void nodePool(HttpExchange exchange, String method, String poolId, String body)
        throws IOException {
      synchronized (FakeDigitalOcean.this) {
        Map<String, @Nullable Object> pool =
            cluster.pools.stream()
                .filter(p -> poolId.equals(p.get("id")))
                .findFirst()
                .orElseThrow(FakeDigitalOcean::notFound);
        if (method.equals("DELETE")) {
          cluster.pools.remove(pool);
          Http.send(exchange, 204, "application/json", "");
          return;
        }
        if (method.equals("PUT")) {
          Map<String, @Nullable Object> update = parse(body);
          Object count = update.get("count");
          if (!(count instanceof Number number) || number.intValue() < 1) {
            throw new DoError(422, "unprocessable_entity", "node pool count must be at least 1");
          }
          pool.put("count", count);
          pool.put("name", update.getOrDefault("name", pool.get("name")));
        }
        Http.json(exchange, method.equals("PUT") ? 202 : 200, Doc.obj("node_pool", pool));
      }
    }

    private void update(Map<String, @Nullable Object> request) {
      synchronized (FakeDigitalOcean.this) {
        String name = Doc.string(request, "name");
        if (name == null) {
          throw new DoError(422, "unprocessable_entity", "name is required");
        }
        cluster.name = name;
        if (request.get("tags") instanceof List) {
          List<String> tags = new ArrayList<>();
          Doc.list(request, "tags").forEach(t -> tags.add(String.valueOf(t)));
          cluster.tags = tags;
        }
        if (request.get("auto_upgrade") instanceof Boolean) {
          cluster.autoUpgrade = (Boolean) request.get("auto_upgrade");
        }
        if (request.get("surge_upgrade") instanceof Boolean) {
          cluster.surgeUpgrade = (Boolean) request.get("surge_upgrade");
        }
        if (request.get("maintenance_policy") instanceof Map) {
          cluster.maintenance = Doc.copy(Doc.map(request, "maintenance_policy"));
          cluster.maintenance.put("duration", "4h0m0s");
        }
      }
    }

    private void delete(List<String> volumeIds) {
      synchronized (FakeDigitalOcean.this) {
        clusters.remove(cluster.id);
        Map<String, String> owned = volumes.getOrDefault(cluster.id, new ConcurrentHashMap<>());
        volumeIds.forEach(owned::remove);
        FakeKubernetes fake = kubernetes.remove(cluster.id);
        if (fake != null) {
          fake.close();
        }
      }
    }
  }

  private static String base64(@Nullable String text) {
    return text == null
        ? ""
        : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Stops the server and every cluster's fake API server. */
  @Override
  public void close() {
    kubernetes.values().forEach(FakeKubernetes::close);
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "FakeDigitalOcean[" + url() + "]";
  }

  /** A DigitalOcean error: status, id and message. */
  private static final class DoError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final String id;

    DoError(int code, String id, String message) {
      super(message);
      this.code = code;
      this.id = id;
    }
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

    public Builder regions(String... regions) {
      this.regions = List.of(regions);
      return this;
    }

    /** The versions offered, newest first. */
    public Builder versions(String... versions) {
      this.versions = List.of(versions);
      return this;
    }

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

    public FakeDigitalOcean start() {
      try {
        return new FakeDigitalOcean(this);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the fake DigitalOcean API", e);
      }
    }
  }
}
