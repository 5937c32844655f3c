package dev.devkube;

import java.util.List;
import java.util.Objects;

/**
 * The billable resources a cluster created that outlive it unless deleted with it: block storage
 * volumes (from PersistentVolumeClaims), their snapshots, and load balancers (from Services of type
 * LoadBalancer).
 */
public record AssociatedResources(
    List<Resource> volumes, List<Resource> volumeSnapshots, List<Resource> loadBalancers) {

  public AssociatedResources {
    volumes = List.copyOf(volumes);
    volumeSnapshots = List.copyOf(volumeSnapshots);
    loadBalancers = List.copyOf(loadBalancers);
  }

  /** Whether there is nothing besides the cluster itself. */
  public boolean isEmpty() {
    return volumes.isEmpty() && volumeSnapshots.isEmpty() && loadBalancers.isEmpty();
  }

  /**
   * One associated resource.
   *
   * @param id the provider's id
   * @param name its name
   */
  public record Resource(String id, String name) {
    public Resource {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
    }
  }
}
