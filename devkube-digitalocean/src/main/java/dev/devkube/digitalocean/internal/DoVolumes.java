package dev.devkube.digitalocean.internal;

import dev.devkube.BlockVolumes;
import dev.devkube.Paginator;
import dev.devkube.Volume;
import dev.devkube.VolumeSnapshot;
import dev.devkube.digitalocean.internal.DoStorageJson.CreateSnapshot;
import dev.devkube.digitalocean.internal.DoStorageJson.SnapshotJson;
import dev.devkube.digitalocean.internal.DoStorageJson.VolumeJson;
import dev.devkube.digitalocean.internal.DoStorageJson.VolumeList;
import dev.devkube.internal.Validation;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** DigitalOcean's Block Storage volumes and their snapshots. */
public final class DoVolumes implements BlockVolumes {
  private static final int PAGE_SIZE = 100;
  private final DoClient client;

  public DoVolumes(DoClient client) {
    this.client = client;
  }

  @Override
  public Paginator<Volume> list() {
    return pages(null, null);
  }

  private Paginator<Volume> pages(@Nullable String name, @Nullable String region) {
    return Paginator.of(
        next -> {
          VolumeList page =
              next == null
                  ? client.call(
                      client.volumes().listVolumes(PAGE_SIZE, name, region), "list volumes")
                  : client.call(
                      client.volumes().listVolumesAt(DoClusters.checkedNext(client, next)),
                      "list volumes (" + next + ")");
          List<Volume> volumes = new ArrayList<>();
          for (VolumeJson json : DoModel.orEmpty(page.volumes)) {
            volumes.add(volume(json, "list volumes"));
          }
          String link =
              page.links == null || page.links.pages == null ? null : page.links.pages.next;
          return new Paginator.Page<>(volumes, link == null || link.isBlank() ? null : link);
        });
  }

  @Override
  public List<Volume> find(String name, @Nullable String region) {
    Validation.requireNonBlank("volume name", name);
    return pages(name, region).toList();
  }

  @Override
  public List<Volume> withTag(String tag) {
    Validation.requireNonBlank("tag", tag);
    return list().stream().filter(v -> v.tags().contains(tag)).toList();
  }

  @Override
  public Volume get(String id) {
    Validation.requireNonBlank("volume id", id);
    String action = "get volume " + id;
    return volume(
        DoClusters.require(
            client.call(client.volumes().getVolume(id), action).volume, "volume", action),
        action);
  }

  @Override
  public void delete(String id) {
    Validation.requireNonBlank("volume id", id);
    client.callNoBody(client.volumes().deleteVolume(id), "delete volume " + id);
  }

  @Override
  public VolumeSnapshot snapshot(String volumeId, String name) {
    Validation.requireNonBlank("volume id", volumeId);
    Validation.requireNonBlank("snapshot name", name);
    CreateSnapshot body = new CreateSnapshot();
    body.name = name;
    String action = "snapshot volume " + volumeId;
    return snapshot(
        DoClusters.require(
            client.call(client.volumes().createSnapshot(volumeId, body), action).snapshot,
            "snapshot",
            action),
        volumeId,
        action);
  }

  @Override
  public List<VolumeSnapshot> snapshots(String volumeId) {
    Validation.requireNonBlank("volume id", volumeId);
    String action = "list snapshots of volume " + volumeId;
    List<VolumeSnapshot> snapshots = new ArrayList<>();
    for (SnapshotJson json :
        DoModel.orEmpty(
            client.call(client.volumes().listSnapshots(volumeId, PAGE_SIZE), action).snapshots)) {
      snapshots.add(snapshot(json, volumeId, action));
    }
    return snapshots;
  }

  @Override
  public void deleteSnapshot(String snapshotId) {
    Validation.requireNonBlank("snapshot id", snapshotId);
    client.callNoBody(client.volumes().deleteSnapshot(snapshotId), "delete snapshot " + snapshotId);
  }

  static Volume volume(VolumeJson json, String action) {
    Object slug = json.region == null ? null : json.region.get("slug");
    List<String> attached = new ArrayList<>();
    for (Long droplet : DoModel.orEmpty(json.dropletIds)) {
      attached.add(String.valueOf(droplet));
    }
    return new Volume(
        DoClusters.require(json.id, "volume id", action),
        DoClusters.require(json.name, "volume name", action),
        slug == null ? "" : slug.toString(),
        json.sizeGigabytes == null ? 0 : json.sizeGigabytes,
        json.filesystemType,
        attached,
        DoModel.orEmpty(json.tags),
        DoModel.instant(json.createdAt));
  }

  private static VolumeSnapshot snapshot(SnapshotJson json, String volumeId, String action) {
    return new VolumeSnapshot(
        DoClusters.require(json.id, "snapshot id", action),
        DoClusters.require(json.name, "snapshot name", action),
        json.resourceId == null ? volumeId : json.resourceId,
        DoModel.orEmpty(json.regions),
        json.minDiskSize == null ? 0 : json.minDiskSize,
        DoModel.instant(json.createdAt));
  }
}
