package dev.devkube.testkit.internal;

import dev.devkube.testkit.CloudDisks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The storage of a fake DigitalOcean account: Block Storage volumes (those its clusters' claims
 * create, attached while their cluster lives, kept or destroyed with it), their snapshots, and
 * managed NFS shares ({@code CREATING} until the provisioning time has passed on the fake's clock,
 * then {@code ACTIVE} with a host and a mount path). The files of every volume and share are in one
 * {@link CloudDisks}, shared by the account's clusters, so they survive the cluster that used them.
 */
public final class DoStorage {
  /** A volume: where it lives and which cluster holds it (null: detached). */
  static final class Volume {
    final String id;
    final String name;
    final String region;
    final int sizeGib;
    final Instant createdAt;
    final List<String> tags = new ArrayList<>();
    @Nullable String clusterId;

    Volume(String id, String name, String region, int sizeGib, Instant createdAt) {
      this.id = id;
      this.name = name;
      this.region = region;
      this.sizeGib = sizeGib;
      this.createdAt = createdAt;
    }
  }

  private final DoSettings settings;
  private final CloudDisks disks = new CloudDisks();
  private final Map<String, Volume> volumes = new LinkedHashMap<>();
  private final Map<String, Map<String, @Nullable Object>> snapshots = new LinkedHashMap<>();
  private final Map<String, Map<String, @Nullable Object>> shares = new LinkedHashMap<>();

  public DoStorage(DoSettings settings) {
    this.settings = settings;
  }

  public CloudDisks disks() {
    return disks;
  }

  /**
   * A volume a cluster's claim made ({@code provisioned}), or an existing one a pre-provisioned
   * PersistentVolume names, now attached to that cluster. A name the account has no volume for, or
   * one still attached to another cluster, is not attached (DigitalOcean's driver fails such an
   * attach).
   */
  public synchronized void volumeCreated(
      String clusterId,
      String region,
      String id,
      String name,
      @Nullable Object storage,
      boolean provisioned) {
    Volume existing = volumes.get(id);
    if (existing != null) {
      if (existing.clusterId == null && existing.region.equals(region)) {
        existing.clusterId = clusterId; // a kept volume a new cluster serves again
        disks.volume(id, clusterId);
      }
      return;
    }
    if (!provisioned) {
      return;
    }
    disks.volume(id, clusterId);
    Volume volume = new Volume(id, name, region, gib(storage), settings.clock().instant());
    volume.clusterId = clusterId;
    volumes.put(id, volume);
  }

  /** The volumes the cluster holds (id to name). */
  public synchronized Map<String, String> volumesOf(String clusterId) {
    Map<String, String> owned = new LinkedHashMap<>();
    volumes.values().stream()
        .filter(v -> clusterId.equals(v.clusterId))
        .forEach(v -> owned.put(v.id, v.name));
    return owned;
  }

  /** Every volume (id to name). */
  public synchronized Map<String, String> volumes() {
    Map<String, String> all = new LinkedHashMap<>();
    volumes.values().forEach(v -> all.put(v.id, v.name));
    return all;
  }

  /** The cluster is gone: {@code destroyed} of its volumes go, the others are detached. */
  public synchronized void clusterDeleted(String clusterId, List<String> destroyed) {
    volumes.values().stream()
        .filter(v -> clusterId.equals(v.clusterId))
        .forEach(
            v -> {
              v.clusterId = null;
              disks.volume(v.id, null);
            });
    for (String id : destroyed) {
      if (volumes.containsKey(id)) {
        deleteVolume(id);
      }
    }
  }

  synchronized List<Map<String, @Nullable Object>> listVolumes(
      @Nullable String name, @Nullable String region) {
    List<Map<String, @Nullable Object>> found = new ArrayList<>();
    for (Volume volume : volumes.values()) {
      if ((name == null || name.equals(volume.name))
          && (region == null || region.equals(volume.region))) {
        found.add(json(volume));
      }
    }
    return found;
  }

  synchronized Map<String, @Nullable Object> volume(String id) {
    Volume volume = volumes.get(id);
    if (volume == null) {
      throw DoError.notFound();
    }
    return json(volume);
  }

  synchronized void deleteVolume(String id) {
    Volume volume = volumes.get(id);
    if (volume == null) {
      throw DoError.notFound();
    }
    if (volume.clusterId != null) {
      throw new DoError(
          409,
          "conflict",
          "volume "
              + id
              + " is attached to a droplet of cluster "
              + volume.clusterId
              + ": detach it (delete the cluster, or its claim) first");
    }
    volumes.remove(id);
    disks.forgetVolume(id);
  }

  synchronized Map<String, @Nullable Object> snapshot(String volumeId, @Nullable String name) {
    Volume volume = volumes.get(volumeId);
    if (volume == null) {
      throw DoError.notFound();
    }
    if (name == null || name.isBlank()) {
      throw new DoError(400, "bad_request", "name is required");
    }
    String id = UUID.randomUUID().toString();
    Map<String, @Nullable Object> snapshot =
        Doc.obj(
            "id",
            id,
            "name",
            name,
            "regions",
            List.of(volume.region),
            "created_at",
            settings.clock().instant().toString(),
            "resource_id",
            volume.id,
            "resource_type",
            "volume",
            "min_disk_size",
            (long) volume.sizeGib,
            "size_gigabytes",
            (double) volume.sizeGib,
            "tags",
            List.of());
    snapshots.put(id, snapshot);
    return snapshot;
  }

  synchronized List<Map<String, @Nullable Object>> snapshotsOf(String volumeId) {
    if (!volumes.containsKey(volumeId)) {
      throw DoError.notFound();
    }
    List<Map<String, @Nullable Object>> found = new ArrayList<>();
    for (Map<String, @Nullable Object> s : snapshots.values()) {
      if (volumeId.equals(Doc.string(s, "resource_id"))) {
        found.add(s);
      }
    }
    return found;
  }

  synchronized void deleteSnapshot(String id) {
    if (snapshots.remove(id) == null) {
      throw DoError.notFound();
    }
  }

  /** Creates a share from a request, or refuses it as the API does (400). */
  synchronized Map<String, @Nullable Object> createShare(Map<String, @Nullable Object> request) {
    List<String> problems = new ArrayList<>();
    String name = Doc.string(request, "name");
    if (name == null || name.isBlank()) {
      problems.add("name is required");
    }
    String region = Doc.string(request, "region");
    if (region == null || !settings.regions().contains(region)) {
      problems.add("region is not available: " + region);
    }
    long sizeGib = Doc.get(request, "size_gib") instanceof Number n ? n.longValue() : 0;
    if (sizeGib < 50) {
      problems.add("size_gib must be at least 50");
    }
    if (Doc.list(request, "vpc_ids").isEmpty()) {
      problems.add("vpc_ids must name at least one VPC");
    }
    if (!problems.isEmpty()) {
      throw new DoError(400, "bad_request", String.join("; ", problems));
    }
    String id = UUID.randomUUID().toString();
    Map<String, @Nullable Object> share =
        Doc.obj(
            "id",
            id,
            "name",
            name,
            "size_gib",
            sizeGib,
            "region",
            region,
            "status",
            "CREATING",
            "created_at",
            settings.clock().instant().toString(),
            "vpc_ids",
            new ArrayList<>(Doc.list(request, "vpc_ids")),
            "performance_tier",
            "standard");
    shares.put(id, share);
    List<String> networks = new ArrayList<>();
    Doc.list(request, "vpc_ids").forEach(vpc -> networks.add(String.valueOf(vpc)));
    disks.share(host(id), networks);
    return view(share);
  }

  synchronized List<Map<String, @Nullable Object>> listShares(@Nullable String region) {
    List<Map<String, @Nullable Object>> found = new ArrayList<>();
    for (Map<String, @Nullable Object> share : shares.values()) {
      if (region == null || region.equals(Doc.string(share, "region"))) {
        found.add(view(share));
      }
    }
    return found;
  }

  synchronized Map<String, @Nullable Object> share(String id, @Nullable String region) {
    Map<String, @Nullable Object> share = shares.get(id);
    if (share == null || (region != null && !region.equals(Doc.string(share, "region")))) {
      throw DoError.notFound();
    }
    return view(share);
  }

  synchronized void deleteShare(String id, @Nullable String region) {
    Map<String, @Nullable Object> share = share(id, region);
    shares.remove(id);
    disks.forgetShare(host(id));
    disks.delete("nfs:" + Doc.string(share, "host") + ":" + Doc.string(share, "mount_path"));
  }

  /**
   * {@code resize} grows a share; {@code snapshot} records a snapshot (it needs a name); the other
   * types the API names are accepted and change nothing here; any other type is refused (400).
   */
  synchronized void shareAction(String id, Map<String, @Nullable Object> action) {
    Map<String, @Nullable Object> share = shares.get(id);
    if (share == null) {
      throw DoError.notFound();
    }
    String type = Doc.string(action, "type");
    if (!List.of("resize", "snapshot", "attach", "detach", "reassign", "switch_performance_tier")
        .contains(type)) {
      throw new DoError(
          400,
          "bad_request",
          "type must be one of resize, snapshot, attach, detach, reassign,"
              + " switch_performance_tier: got "
              + type);
    }
    if ("resize".equals(type)) {
      long size = Doc.get(action, "params.size_gib") instanceof Number n ? n.longValue() : 0;
      long now = share.get("size_gib") instanceof Number n ? n.longValue() : 0;
      if (size <= now) {
        throw new DoError(400, "bad_request", "size_gib must be larger than the share's size");
      }
      share.put("size_gib", size);
    } else if ("snapshot".equals(type)) {
      String name = Doc.string(action, "params.name");
      if (name == null || name.isBlank()) {
        throw new DoError(400, "bad_request", "params.name is required for a snapshot");
      }
      String snapshotId = UUID.randomUUID().toString();
      snapshots.put(
          snapshotId,
          Doc.obj(
              "id", snapshotId,
              "name", name,
              "resource_id", id,
              "resource_type", "share",
              "created_at", settings.clock().instant().toString()));
    }
  }

  /** The share as read now: active, with its host and path, once provisioned. */
  private Map<String, @Nullable Object> view(Map<String, @Nullable Object> share) {
    Map<String, @Nullable Object> copy = Doc.copy(share);
    Instant created = Instant.parse(String.valueOf(Doc.string(share, "created_at")));
    if (!settings.clock().instant().isBefore(created.plus(settings.provisioningTime()))) {
      String id = String.valueOf(Doc.string(share, "id"));
      copy.put("status", "ACTIVE");
      copy.put("host", host(id));
      copy.put("mount_path", "/" + Math.abs(id.hashCode() % 900000 + 100000) + "/" + id);
    }
    return copy;
  }

  /** The address a share is mounted from, once active: in the account's VPC range. */
  private static String host(String shareId) {
    return "10.110.0." + (2 + Math.abs(shareId.hashCode() % 250));
  }

  private static Map<String, @Nullable Object> json(Volume volume) {
    return Doc.obj(
        "id",
        volume.id,
        "name",
        volume.name,
        "region",
        Doc.obj(
            "slug",
            volume.region,
            "name",
            volume.region,
            "sizes",
            List.of("s-2vcpu-4gb"),
            "features",
            List.of("private_networking", "metadata"),
            "available",
            true),
        "size_gigabytes",
        (long) volume.sizeGib,
        "filesystem_type",
        "ext4",
        "droplet_ids",
        volume.clusterId == null
            ? List.of()
            : List.of(1000L + Math.abs(volume.clusterId.hashCode() % 1000)),
        "tags",
        List.copyOf(volume.tags),
        "created_at",
        volume.createdAt.toString(),
        "description",
        "");
  }

  private static int gib(@Nullable Object storage) {
    String text = String.valueOf(storage);
    try {
      if (text.endsWith("Gi")) {
        return Integer.parseInt(text.substring(0, text.length() - 2));
      }
      if (text.endsWith("Mi")) {
        return Math.max(1, Integer.parseInt(text.substring(0, text.length() - 2)) / 1024);
      }
    } catch (NumberFormatException e) {
      // a quantity written another way: the smallest volume
    }
    return 1;
  }
}
