package dev.devkube;

/**
 * What to destroy together with a cluster. With no option, only the cluster and its nodes are
 * deleted and its volumes and load balancers are kept (and keep being billed).
 */
public enum DeleteOption {
  /** Destroy the block storage volumes the cluster's PersistentVolumeClaims created. */
  DESTROY_VOLUMES,
  /** Destroy the snapshots of those volumes. */
  DESTROY_VOLUME_SNAPSHOTS,
  /** Destroy the load balancers the cluster's Services created. */
  DESTROY_LOAD_BALANCERS
}
