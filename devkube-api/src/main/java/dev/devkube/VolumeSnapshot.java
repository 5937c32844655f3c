package dev.devkube;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A point-in-time copy of a volume, from which a new volume can be made.
 *
 * @param id the provider's id
 * @param name its name
 * @param volumeId the volume it was taken of
 * @param regions where it can be restored
 * @param sizeGib the smallest volume it fits in, in GiB
 * @param createdAt when it was taken
 */
public record VolumeSnapshot(
    String id,
    String name,
    String volumeId,
    List<String> regions,
    int sizeGib,
    @Nullable Instant createdAt) {
  public VolumeSnapshot {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(volumeId, "volumeId");
    regions = List.copyOf(regions);
  }
}
