package dev.devkube;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A managed NFS share of the account: it lives outside any cluster and is mounted by pods of the
 * networks (VPCs) it is attached to, with no NFS server of one's own.
 *
 * @param id the provider's id
 * @param name its name
 * @param region the region slug
 * @param sizeGib its size in GiB
 * @param status the provider's state: {@code CREATING}, {@code ACTIVE}, {@code INACTIVE} (attached
 *     to no network), {@code FAILED}, {@code DELETED}
 * @param host the address pods mount it from, once active
 * @param mountPath the exported path, once active
 * @param vpcIds the networks that reach it
 * @param createdAt when it was made
 */
public record FileShare(
    String id,
    String name,
    String region,
    int sizeGib,
    String status,
    @Nullable String host,
    @Nullable String mountPath,
    List<String> vpcIds,
    @Nullable Instant createdAt) {
  public FileShare {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(status, "status");
    vpcIds = List.copyOf(vpcIds);
  }

  /** Whether it serves: active, with a host and a path. */
  public boolean active() {
    return status.equals("ACTIVE") && host != null && mountPath != null;
  }
}
