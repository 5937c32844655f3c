package dev.devkube;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A block storage volume of the account: the kind a cluster's claims create, which can outlive the
 * cluster when kept.
 *
 * @param id the provider's id; for DigitalOcean also the CSI driver's volume handle
 * @param name its name
 * @param region the region slug it lives in
 * @param sizeGib its size in GiB
 * @param filesystemType the file system on it, when known
 * @param attachedTo the ids of the machines it is attached to (empty: detached, free to reuse)
 * @param tags its tags
 * @param createdAt when it was made
 */
public record Volume(
    String id,
    String name,
    String region,
    int sizeGib,
    @Nullable String filesystemType,
    List<String> attachedTo,
    List<String> tags,
    @Nullable Instant createdAt) {
  public Volume {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    attachedTo = List.copyOf(attachedTo);
    tags = List.copyOf(tags);
  }

  /** Whether a machine holds it: an attached volume cannot be served by another cluster yet. */
  public boolean attached() {
    return !attachedTo.isEmpty();
  }
}
