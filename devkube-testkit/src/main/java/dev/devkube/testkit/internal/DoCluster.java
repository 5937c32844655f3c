package dev.devkube.testkit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One cluster of the fake DigitalOcean account, with its state derived from the time since create.
 */
public final class DoCluster {
  public final String id;
  public String name;
  public final String region;
  public String version;
  public final Instant createdAt;
  public final Duration provisioning;
  public List<String> tags;
  public boolean autoUpgrade;
  public boolean surgeUpgrade;
  public final boolean ha;
  public @Nullable String vpc;
  public Map<String, @Nullable Object> maintenance;
  public final List<Map<String, @Nullable Object>> pools = new ArrayList<>();
  public @Nullable String endpoint;
  public @Nullable Instant upgradeUntil;

  /** The ids (UUIDs, as DigitalOcean's) of each pool's nodes, by pool id, kept across reads. */
  private final Map<String, List<String>> nodeIds = new HashMap<>();

  public DoCluster(
      String id,
      String name,
      String region,
      String version,
      Instant createdAt,
      Duration provisioning,
      List<String> tags,
      boolean autoUpgrade,
      boolean surgeUpgrade,
      boolean ha,
      @Nullable String vpc,
      Map<String, @Nullable Object> maintenance) {
    this.id = id;
    this.name = name;
    this.region = region;
    this.version = version;
    this.createdAt = createdAt;
    this.provisioning = provisioning;
    this.tags = tags;
    this.autoUpgrade = autoUpgrade;
    this.surgeUpgrade = surgeUpgrade;
    this.ha = ha;
    this.vpc = vpc;
    this.maintenance = maintenance;
  }

  /** How far provisioning is, 0 to 1. */
  public double progress(Instant now) {
    if (provisioning.isZero()) {
      return 1;
    }
    return Math.min(
        1, (double) Duration.between(createdAt, now).toMillis() / provisioning.toMillis());
  }

  public String state(Instant now) {
    if (upgradeUntil != null && now.isBefore(upgradeUntil)) {
      return "upgrading";
    }
    return progress(now) >= 1 ? "running" : "provisioning";
  }

  /** The ids of the pool's nodes, as many as its count: new nodes get new ids. */
  public List<String> nodeIds(Map<String, @Nullable Object> pool) {
    List<String> ids =
        nodeIds.computeIfAbsent(String.valueOf(pool.get("id")), k -> new ArrayList<>());
    while (ids.size() < count(pool)) {
      ids.add(UUID.randomUUID().toString());
    }
    while (ids.size() > count(pool)) {
      ids.remove(ids.size() - 1);
    }
    return ids;
  }

  /** A pool's node count (validation on the way in makes it present). */
  public static int count(Map<String, @Nullable Object> pool) {
    return pool.get("count") instanceof Number n ? n.intValue() : 0;
  }

  public Map<String, @Nullable Object> json(Instant now) {
    String state = state(now);
    double progress = progress(now);
    List<Object> poolsJson = new ArrayList<>();
    int total = pools.stream().mapToInt(DoCluster::count).sum();
    int running = (int) Math.floor(total * Math.max(0, (progress - 0.5) * 2));
    for (Map<String, @Nullable Object> pool : pools) {
      Map<String, @Nullable Object> copy = Doc.copy(pool);
      List<Object> nodes = new ArrayList<>();
      List<String> ids = nodeIds(pool);
      for (int i = 0; i < ids.size(); i++) {
        boolean up = running-- > 0;
        nodes.add(
            Doc.obj(
                "id",
                ids.get(i),
                "name",
                pool.get("name") + "-" + i,
                "status",
                Doc.obj("state", up ? "running" : "provisioning"),
                "droplet_id",
                String.valueOf(300000 + i),
                "created_at",
                createdAt.toString(),
                "updated_at",
                now.toString()));
      }
      copy.put("nodes", nodes);
      poolsJson.add(copy);
    }
    String message =
        state.equals("running") ? "" : progress < 0.5 ? "creating control plane" : "creating nodes";
    return Doc.obj(
        "id",
        id,
        "name",
        name,
        "region",
        region,
        "version",
        version,
        "cluster_subnet",
        "10.244.0.0/16",
        "service_subnet",
        "10.245.0.0/16",
        "vpc_uuid",
        vpc,
        "ipv4",
        state.equals("provisioning") ? "" : "127.0.0.1",
        "endpoint",
        state.equals("provisioning") ? "" : endpoint,
        "tags",
        tags,
        "node_pools",
        poolsJson,
        "maintenance_policy",
        maintenance,
        "auto_upgrade",
        autoUpgrade,
        "surge_upgrade",
        surgeUpgrade,
        "ha",
        ha,
        "registry_enabled",
        false,
        "status",
        message.isEmpty() ? Doc.obj("state", state) : Doc.obj("state", state, "message", message),
        "created_at",
        createdAt.toString(),
        "updated_at",
        now.toString());
  }
}
