package dev.devkube;

import java.util.Optional;

/**
 * The clusters of one provider account.
 *
 * <pre>{@code
 * Cluster cluster = cloud.clusters().createOrGet(ClusterSpec.named("devkube").region("sfo2")
 *     .nodePool("devpool", "s-2vcpu-4gb", 2));
 * for (Cluster c : cloud.clusters().list()) { log.info("{} is {}", c.name(), c.status()); }
 * }</pre>
 */
public interface Clusters {
  /**
   * Creates a cluster and returns its handle at once, while it provisions. The spec is validated
   * and checked against the provider's options first.
   */
  Cluster create(ClusterSpec spec);

  /**
   * Returns the cluster named in {@code spec} if it exists, else creates it, so that a re-run
   * adopts the cluster instead of paying for a second one.
   *
   * @throws IllegalStateException when the existing cluster's region or version differ from the
   *     spec's
   */
  Cluster createOrGet(ClusterSpec spec);

  /**
   * The cluster with {@code id}.
   *
   * @throws NotFoundException when there is none
   */
  Cluster get(String id);

  /** The cluster called {@code name}, if there is one. */
  Optional<Cluster> find(String name);

  /** All clusters, fetched page by page as the iteration proceeds. */
  Paginator<Cluster> list();
}
