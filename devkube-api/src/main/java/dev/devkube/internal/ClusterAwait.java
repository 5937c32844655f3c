package dev.devkube.internal;

import dev.devkube.Cluster;
import dev.devkube.ClusterStatus;
import dev.devkube.NodePool;
import dev.devkube.Poll;
import dev.devkube.ProgressListener;
import dev.devkube.Waiter;

/** The provider-neutral part of {@link Cluster#awaitRunning}: what each state means for a wait. */
public final class ClusterAwait {
  private ClusterAwait() {}

  /** What one fresh reading of the cluster means for a wait until it runs. */
  public static Poll<Cluster> pollRunning(Cluster cluster) {
    ClusterStatus status = cluster.status();
    String message = cluster.statusMessage();
    if (status == ClusterStatus.RUNNING) {
      return Poll.done(cluster);
    }
    if (status.isFailure()) {
      return Poll.failed(status.slug(), message == null ? "" : message);
    }
    int ready = 0;
    int total = 0;
    for (NodePool pool : cluster.nodePools()) {
      ready += pool.runningNodes();
      total += Math.max(pool.count(), pool.nodes().size());
    }
    String state = status == ClusterStatus.UNKNOWN ? "unknown" : status.slug();
    return Poll.pending(state, message, ready, total);
  }

  /**
   * Refreshes {@code cluster} with {@code waiter} until it runs.
   *
   * @see Cluster#awaitRunning
   */
  public static Cluster awaitRunning(Cluster cluster, Waiter waiter, ProgressListener listener) {
    return waiter.await(
        "cluster " + cluster.name() + " to be running",
        () -> pollRunning(cluster.refresh()),
        listener);
  }
}
