package dev.devkube.testkit.internal;

import dev.devkube.testkit.FakeKubernetes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The state of a fake DigitalOcean account: its clusters, the FakeKubernetes behind each running
 * one, and the volumes their claims created. Validation is DigitalOcean's: 422 naming the problem.
 */
public final class DoAccount implements AutoCloseable {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private final DoSettings settings;
  private final Map<String, DoCluster> clusters = new LinkedHashMap<>();
  private final Map<String, FakeKubernetes> kubernetes = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> volumes = new ConcurrentHashMap<>();

  public DoAccount(DoSettings settings) {
    this.settings = settings;
  }

  public DoSettings settings() {
    return settings;
  }

  /** Creates a cluster from a create request, or refuses it with DigitalOcean's 422. */
  public synchronized Map<String, @Nullable Object> create(Map<String, @Nullable Object> request) {
    String name = Doc.string(request, "name");
    List<String> problems = new ArrayList<>();
    if (name == null || !LABEL.matcher(name).matches() || name.length() > 63) {
      problems.add("name must be a valid DNS label");
    }
    for (DoCluster other : clusters.values()) {
      if (other.name.equals(name)) {
        throw DoError.invalid("a cluster with this name already exists");
      }
    }
    String region = Doc.string(request, "region");
    if (!settings.regions().contains(region)) {
      problems.add("region is not available for Kubernetes: " + region);
    }
    String version = Doc.string(request, "version");
    if ("latest".equals(version)) {
      version = settings.versions().get(0);
    } else if (!settings.versions().contains(version)) {
      problems.add("version is not supported: " + version);
    }
    List<Object> pools = Doc.list(request, "node_pools");
    if (pools.isEmpty()) {
      problems.add("at least one node pool is required");
    }
    for (Object pool : pools) {
      if (!settings.sizes().contains(String.valueOf(Doc.get(pool, "size")))) {
        problems.add("size is not available: " + Doc.get(pool, "size"));
      }
      Object count = Doc.get(pool, "count");
      if (!(count instanceof Number number) || number.intValue() < 1) {
        problems.add("node pool count must be at least 1");
      }
    }
    if (!problems.isEmpty()) {
      throw DoError.invalid(String.join("; ", problems));
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
            settings.clock().instant(),
            settings.provisioningTime(),
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
    return cluster.json(settings.clock().instant());
  }

  /** A node pool as stored: the request's fields and the defaults DigitalOcean fills in. */
  public static Map<String, @Nullable Object> pool(
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

  /** Every cluster's JSON, in creation order. */
  public synchronized List<Object> clusterJsons() {
    List<Object> all = new ArrayList<>();
    for (DoCluster cluster : clusters.values()) {
      all.add(clusterJson(cluster));
    }
    return all;
  }

  /** The cluster's JSON now; starts its FakeKubernetes the first time it is seen running. */
  public synchronized Map<String, @Nullable Object> clusterJson(DoCluster cluster) {
    if (!cluster.state(settings.clock().instant()).equals("provisioning")
        && cluster.endpoint == null) {
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
    return cluster.json(settings.clock().instant());
  }

  /** The cluster of that id, or DigitalOcean's 404. */
  public synchronized DoCluster cluster(String id) {
    DoCluster cluster = clusters.get(id);
    if (cluster == null) {
      throw DoError.notFound();
    }
    return cluster;
  }

  public synchronized void addPool(DoCluster cluster, Map<String, @Nullable Object> pool) {
    cluster.pools.add(pool);
  }

  /** A pool of the cluster, or DigitalOcean's 404. */
  public synchronized Map<String, @Nullable Object> pool(DoCluster cluster, String poolId) {
    return cluster.pools.stream()
        .filter(p -> poolId.equals(p.get("id")))
        .findFirst()
        .orElseThrow(DoError::notFound);
  }

  public synchronized void removePool(DoCluster cluster, String poolId) {
    cluster.pools.remove(pool(cluster, poolId));
  }

  /** Resizes or renames a pool, as a node pool PUT does. */
  public synchronized Map<String, @Nullable Object> updatePool(
      DoCluster cluster, String poolId, Map<String, @Nullable Object> update) {
    Map<String, @Nullable Object> pool = pool(cluster, poolId);
    Object count = update.get("count");
    if (!(count instanceof Number number) || number.intValue() < 1) {
      throw DoError.invalid("node pool count must be at least 1");
    }
    pool.put("count", count);
    pool.put("name", update.getOrDefault("name", pool.get("name")));
    return pool;
  }

  /** Applies a cluster PUT: name (required), tags, auto and surge upgrade, maintenance window. */
  public synchronized void update(DoCluster cluster, Map<String, @Nullable Object> request) {
    String name = Doc.string(request, "name");
    if (name == null) {
      throw DoError.invalid("name is required");
    }
    cluster.name = name;
    if (request.get("tags") instanceof List) {
      List<String> tags = new ArrayList<>();
      Doc.list(request, "tags").forEach(t -> tags.add(String.valueOf(t)));
      cluster.tags = tags;
    }
    if (request.get("auto_upgrade") instanceof Boolean autoUpgrade) {
      cluster.autoUpgrade = autoUpgrade;
    }
    if (request.get("surge_upgrade") instanceof Boolean surgeUpgrade) {
      cluster.surgeUpgrade = surgeUpgrade;
    }
    if (request.get("maintenance_policy") instanceof Map) {
      cluster.maintenance = Doc.copy(Doc.map(request, "maintenance_policy"));
      cluster.maintenance.put("duration", "4h0m0s");
    }
  }

  /** The volumes the cluster's claims created (id to name). */
  public Map<String, String> volumesOf(String clusterId) {
    return Map.copyOf(volumes.getOrDefault(clusterId, Map.of()));
  }

  /** Deletes the cluster and the given ones of its volumes; the others stay in the account. */
  public synchronized void delete(DoCluster cluster, List<String> volumeIds) {
    clusters.remove(cluster.id);
    Map<String, String> owned = volumes.getOrDefault(cluster.id, new ConcurrentHashMap<>());
    volumeIds.forEach(owned::remove);
    FakeKubernetes fake = kubernetes.remove(cluster.id);
    if (fake != null) {
      fake.close();
    }
  }

  public @Nullable FakeKubernetes kubernetes(String clusterId) {
    return kubernetes.get(clusterId);
  }

  /** Every volume of the account (id to name). */
  public Map<String, String> volumes() {
    Map<String, String> all = new LinkedHashMap<>();
    volumes.values().forEach(all::putAll);
    return all;
  }

  public synchronized List<String> clusterIds() {
    return new ArrayList<>(clusters.keySet());
  }

  /** Stops every cluster's fake API server. */
  @Override
  public void close() {
    kubernetes.values().forEach(FakeKubernetes::close);
  }
}
