package dev.devkube.testkit;

import dev.devkube.testkit.internal.FakeFs;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The files of cloud storage, kept apart from any one cluster: block volumes (by their CSI handle)
 * and NFS shares outside the cluster (by host and path). Give the same {@code CloudDisks} to
 * several {@link FakeKubernetes} (as {@link FakeDigitalOcean} does for the clusters of one account)
 * and a volume kept from one cluster shows its files in the next.
 */
public final class CloudDisks {
  private final Map<String, FakeFs> disks = new ConcurrentHashMap<>();
  private final Set<String> volumes = ConcurrentHashMap.newKeySet();
  private final Map<String, String> attachedTo = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> shareNetworks = new ConcurrentHashMap<>();
  private volatile boolean accountKept;

  /**
   * Registers a volume of the account and the cluster it is attached to (null: detached). Once an
   * account registers volumes, a cluster can mount only those, and only while no other cluster
   * holds them.
   */
  public void volume(String handle, @Nullable String clusterId) {
    accountKept = true;
    volumes.add(handle);
    if (clusterId == null) {
      attachedTo.remove(handle);
    } else {
      attachedTo.put(handle, clusterId);
    }
  }

  /** The volume is gone from the account. */
  public void forgetVolume(String handle) {
    volumes.remove(handle);
    attachedTo.remove(handle);
    delete("volume:" + handle);
  }

  /** Registers a managed share's host and the networks (VPCs) that reach it. */
  public void share(String host, Collection<String> networks) {
    shareNetworks.put(host, Set.copyOf(networks));
  }

  /** The share at {@code host} is gone. */
  public void forgetShare(String host) {
    shareNetworks.remove(host);
  }

  /**
   * Why a cluster ({@code clusterId} in network {@code vpc}) cannot mount {@code key}, in the words
   * a kubelet's event would use; null when it can.
   */
  public @Nullable String refusal(String key, @Nullable String clusterId, @Nullable String vpc) {
    if (key.startsWith("volume:") && accountKept) {
      String handle = key.substring("volume:".length());
      if (!volumes.contains(handle)) {
        return "AttachVolume.Attach failed for volume \""
            + handle
            + "\" : rpc error: code = NotFound desc = volume "
            + handle
            + " not found";
      }
      String holder = attachedTo.get(handle);
      if (holder != null && !holder.equals(clusterId)) {
        return "AttachVolume.Attach failed for volume \""
            + handle
            + "\" : rpc error: code = FailedPrecondition desc = volume "
            + handle
            + " is attached to a droplet of another cluster";
      }
    }
    if (key.startsWith("nfs:")) {
      String host = key.substring("nfs:".length(), key.indexOf(':', "nfs:".length()));
      Set<String> networks = shareNetworks.get(host);
      if (networks != null && (vpc == null || !networks.contains(vpc))) {
        return "MountVolume.SetUp failed: mount.nfs: Connection timed out (the share at "
            + host
            + " is not reachable from this cluster's VPC)";
      }
    }
    return null;
  }

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
