package dev.devkube.testkit.internal;

import dev.devkube.testkit.FakeKubernetes;
import java.nio.charset.StandardCharsets;
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
  private final DoStorage storage;

  public DoAccount(DoSettings settings) {
    this.settings = settings;
    this.storage = new DoStorage(settings);
  }

  /** The account's volumes, snapshots and NFS shares. */
  public DoStorage storage() {
    return storage;
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
      problems.addAll(poolProblems(Doc.copyObject(pool), true));
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
            vpc(request, region),
            maintenance);
    for (Object pool : pools) {
      cluster.pools.add(pool(Doc.copyObject(pool), id));
    }
    clusters.put(id, cluster);
    return cluster.json(settings.clock().instant());
  }

  /** The VPC asked for, else the region's default one, which DigitalOcean always assigns. */
  private static String vpc(Map<String, @Nullable Object> request, @Nullable String region) {
    String asked = Doc.string(request, "vpc_uuid");
    if (asked != null && !asked.isBlank()) {
      return asked;
    }
    return UUID.nameUUIDFromBytes(("default-vpc-" + region).getBytes(StandardCharsets.UTF_8))
        .toString();
  }

  /**
   * What is wrong with a node pool as created ({@code creating}: name, size and count required) or
   * updated (name and count required), as DigitalOcean's 422 says it.
   */
  private List<String> poolProblems(Map<String, @Nullable Object> pool, boolean creating) {
    List<String> problems = new ArrayList<>();
    String name = Doc.string(pool, "name");
    if (name == null || name.isBlank()) {
      problems.add("node pool name is required");
    }
    if (creating && !settings.sizes().contains(String.valueOf(pool.get("size")))) {
      problems.add("size is not available: " + pool.get("size"));
    }
    Object count = pool.get("count");
    if (!(count instanceof Number number)
        || number.doubleValue() != number.intValue()
        || number.intValue() < 1) {
      problems.add("node pool count must be at least 1");
    }
    if (Boolean.TRUE.equals(pool.get("auto_scale"))) {
      Object min = pool.get("min_nodes");
      Object max = pool.get("max_nodes");
      if (!(min instanceof Number low)
          || !(max instanceof Number high)
          || low.intValue() < 0
          || high.intValue() < 1
          || low.intValue() > high.intValue()) {
        problems.add("auto-scaled node pools need 0 <= min_nodes <= max_nodes and max_nodes >= 1");
      }
    }
    return problems;
  }

  /** Refuses a node pool request with DigitalOcean's 422, naming each problem. */
  public void validatePool(Map<String, @Nullable Object> pool, boolean creating) {
    List<String> problems = poolProblems(pool, creating);
    if (!problems.isEmpty()) {
      throw DoError.invalid(String.join("; ", problems));
    }
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
              .cloudDisks(storage.disks())
              .cloudMember(cluster.id, cluster.vpc)
              // DOKS clusters come with Cilium as their CNI (DigitalOcean's docs list it among the
              // managed components), so they serve its policy CRDs.
              .cilium()
              .token("doks-" + UUID.randomUUID())
              .start();
      // A volume's id is its CSI handle, as DigitalOcean's driver makes it.
      String clusterId = cluster.id;
      String region = cluster.region;
      fake.onVolume(
          pv ->
              storage.volumeCreated(
                  clusterId,
                  region,
                  java.util.Objects.requireNonNullElseGet(
                      Doc.string(pv, "spec.csi.volumeHandle"), () -> UUID.randomUUID().toString()),
                  String.valueOf(Doc.string(pv, "metadata.name")),
                  Doc.get(pv, "spec.capacity.storage"),
                  Doc.strings(pv, "metadata.annotations")
                      .containsKey("pv.kubernetes.io/provisioned-by")));
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

  /**
   * Applies a node pool PUT: name and count, and the tags, labels, taints and auto-scaling it
   * gives; what it leaves out stays as it was.
   */
  public synchronized Map<String, @Nullable Object> updatePool(
      DoCluster cluster, String poolId, Map<String, @Nullable Object> update) {
    Map<String, @Nullable Object> pool = pool(cluster, poolId);
    Map<String, @Nullable Object> merged = Doc.copy(pool);
    for (String field :
        List.of("name", "count", "labels", "taints", "auto_scale", "min_nodes", "max_nodes")) {
      if (update.containsKey(field)) {
        merged.put(field, Doc.copyOrNull(update.get(field)));
      }
    }
    validatePool(merged, false);
    if (update.get("tags") instanceof List<?> tags) {
      List<Object> withDefaults = new ArrayList<>(tags);
      for (String own : List.of("k8s", "k8s:" + cluster.id, "k8s:worker")) {
        if (!withDefaults.contains(own)) {
          withDefaults.add(own);
        }
      }
      merged.put("tags", withDefaults);
    }
    pool.clear();
    pool.putAll(merged);
    return pool;
  }

  /**
   * Deletes one node of a pool; with {@code replace}, a new node takes its place, else the pool
   * shrinks by one (never below one node: delete the pool instead).
   */
  public synchronized void deleteNode(
      DoCluster cluster, String poolId, String nodeId, boolean replace) {
    Map<String, @Nullable Object> pool = pool(cluster, poolId);
    List<String> ids = cluster.nodeIds(pool);
    int index = ids.indexOf(nodeId);
    if (index < 0) {
      throw DoError.notFound();
    }
    if (replace) {
      ids.set(index, UUID.randomUUID().toString());
      return;
    }
    if (ids.size() <= 1) {
      throw DoError.invalid("node pool count must be at least 1: delete the node pool instead");
    }
    ids.remove(index);
    pool.put("count", (long) ids.size());
  }

  /** The versions the cluster can be upgraded to: the newer ones offered. */
  public List<String> upgrades(DoCluster cluster) {
    List<String> versions = settings.versions();
    List<String> newer = new ArrayList<>();
    for (String version : versions) {
      if (!version.equals(cluster.version)
          && versions.indexOf(version) < versions.indexOf(cluster.version)) {
        newer.add(version);
      }
    }
    return newer;
  }

  /** Starts an upgrade to one of the available versions, or refuses it with a 422. */
  public synchronized void upgrade(DoCluster cluster, @Nullable String version) {
    if (version == null || !upgrades(cluster).contains(version)) {
      throw DoError.invalid(
          "version "
              + version
              + " is not an available upgrade for this cluster; available: "
              + upgrades(cluster));
    }
    cluster.version = version;
    cluster.upgradeUntil = settings.clock().instant().plus(settings.provisioningTime());
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
    return storage.volumesOf(clusterId);
  }

  /** Deletes the cluster and the given ones of its volumes; the others stay in the account. */
  public synchronized void delete(DoCluster cluster, List<String> volumeIds) {
    clusters.remove(cluster.id);
    storage.clusterDeleted(cluster.id, volumeIds);
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
    return storage.volumes();
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
