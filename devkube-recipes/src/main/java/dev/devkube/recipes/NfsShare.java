package dev.devkube.recipes;

import java.util.Objects;

/**
 * A deployed NFS share: the server address pods mount it from and the exported path. The address is
 * the NFS Service's cluster IP, stable across NFS pod restarts (the kubelet mounts NFS without
 * cluster DNS, so a name would not do; a pod IP would go stale).
 *
 * @param server the NFS Service's cluster IP
 * @param path the exported path, {@code /}
 */
public record NfsShare(String server, String path) {
  public NfsShare {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(path, "path");
  }
}
