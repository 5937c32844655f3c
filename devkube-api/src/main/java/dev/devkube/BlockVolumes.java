package dev.devkube;

import java.util.List;

/**
 * The block storage volumes of one provider account, and their snapshots: how a volume kept from a
 * deleted cluster is found again.
 *
 * <pre>{@code
 * for (Volume v : cloud.volumes().find("pvc-0b3f...", "sfo2")) {
 *   if (!v.attached()) { ... NfsServer.onVolume(CsiVolume.digitalOceanBlockStorage(v.id(), v.sizeGib() + "Gi")) ... }
 * }
 * }</pre>
 */
public interface BlockVolumes {
  /** Every volume, fetched page by page as the iteration proceeds. */
  Paginator<Volume> list();

  /** The volumes called {@code name}, in {@code region} (null: any region). */
  List<Volume> find(String name, @org.jspecify.annotations.Nullable String region);

  /** The volumes that carry {@code tag}. */
  List<Volume> withTag(String tag);

  /**
   * The volume with {@code id}.
   *
   * @throws NotFoundException when there is none
   */
  Volume get(String id);

  /**
   * Deletes the volume and its data. Refused by the provider while it is attached.
   *
   * @throws NotFoundException when there is none
   */
  void delete(String id);

  /** Takes a snapshot of the volume, called {@code name}. */
  VolumeSnapshot snapshot(String volumeId, String name);

  /** The snapshots taken of the volume. */
  List<VolumeSnapshot> snapshots(String volumeId);

  /** Deletes a snapshot. */
  void deleteSnapshot(String snapshotId);
}
