package dev.devkube.testkit;

import dev.devkube.testkit.internal.FakeFs;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of cloud storage, kept apart from any one cluster: block volumes (by their CSI handle)
 * and NFS shares outside the cluster (by host and path). Give the same {@code CloudDisks} to
 * several {@link FakeKubernetes} (as {@link FakeDigitalOcean} does for the clusters of one account)
 * and a volume kept from one cluster shows its files in the next.
 */
public final class CloudDisks {
  private final Map<String, FakeFs> disks = new ConcurrentHashMap<>();

  /** The files under {@code key} ({@code volume:<handle>}, {@code nfs:<host>:<path>}). */
  public FakeFs disk(String key) {
    return disks.computeIfAbsent(key, k -> new FakeFs());
  }

  /** Whether {@code key} names cloud storage rather than something of one cluster's. */
  public static boolean isCloud(String key) {
    return key.startsWith("volume:") || key.startsWith("nfs:");
  }

  /** Forgets a disk, as when its volume or share is deleted. */
  public void delete(String key) {
    disks.remove(key);
  }

  /** The keys of the disks that exist. */
  public List<String> keys() {
    return List.copyOf(disks.keySet());
  }
}
