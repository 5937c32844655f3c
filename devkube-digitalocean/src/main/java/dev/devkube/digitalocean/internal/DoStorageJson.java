package dev.devkube.digitalocean.internal;

import com.squareup.moshi.Json;
import dev.devkube.digitalocean.internal.DoJson.Links;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies of DigitalOcean's volume, snapshot and NFS share endpoints, field for field as
 * the OpenAPI files name them; every field may be missing, unknown fields are ignored.
 */
final class DoStorageJson {
  private DoStorageJson() {}

  static final class VolumeList {
    @Nullable List<VolumeJson> volumes;
    @Nullable Links links;
  }

  static final class VolumeEnvelope {
    @Nullable VolumeJson volume;
  }

  static final class VolumeJson {
    @Nullable String id;
    @Nullable String name;

    /** A region object when read ({@code slug}, {@code name}, ...). */
    @Nullable Map<String, Object> region;

    @Json(name = "size_gigabytes")
    @Nullable Integer sizeGigabytes;

    @Json(name = "filesystem_type")
    @Nullable String filesystemType;

    @Json(name = "droplet_ids")
    @Nullable List<Long> dropletIds;

    @Nullable List<String> tags;

    @Json(name = "created_at")
    @Nullable String createdAt;
  }

  static final class CreateSnapshot {
    String name = "";
    @Nullable List<String> tags;
  }

  static final class SnapshotEnvelope {
    @Nullable SnapshotJson snapshot;
  }

  static final class SnapshotList {
    @Nullable List<SnapshotJson> snapshots;
    @Nullable Links links;
  }

  static final class SnapshotJson {
    @Nullable String id;
    @Nullable String name;

    @Json(name = "resource_id")
    @Nullable String resourceId;

    @Nullable List<String> regions;

    @Json(name = "min_disk_size")
    @Nullable Integer minDiskSize;

    @Json(name = "created_at")
    @Nullable String createdAt;
  }

  static final class CreateShare {
    String name = "";

    @Json(name = "size_gib")
    int sizeGib;

    String region = "";

    @Json(name = "vpc_ids")
    List<String> vpcIds = List.of();
  }

  static final class ShareEnvelope {
    @Nullable ShareJson share;
  }

  static final class ShareList {
    @Nullable List<ShareJson> shares;
  }

  static final class ShareJson {
    @Nullable String id;
    @Nullable String name;

    @Json(name = "size_gib")
    @Nullable Integer sizeGib;

    @Nullable String region;
    @Nullable String status;
    @Nullable String host;

    @Json(name = "mount_path")
    @Nullable String mountPath;

    @Json(name = "vpc_ids")
    @Nullable List<String> vpcIds;

    @Json(name = "created_at")
    @Nullable String createdAt;
  }

  /** {@code {"type": "resize", "region": ..., "params": {"size_gib": n}}}. */
  static final class ShareAction {
    String type = "";
    @Nullable String region;
    @Nullable Map<String, Object> params;
  }
}
