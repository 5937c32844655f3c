package dev.devkube;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A handle on one cluster: the state last read from the provider, and the verbs that act on it.
 * Handles are immutable; {@link #refresh()} and the waits return a new handle with newer state.
 *
 * <pre>{@code
 * Cluster cluster = cloud.clusters().createOrGet(spec)
 *     .awaitRunning(Duration.ofMinutes(20), ProgressListener.toLog());
 * try (KubeClient kube = KubeClient.connect(cluster.credentials())) { ... }
 * cluster.delete(DeleteOption.DESTROY_VOLUMES);
 * }</pre>
 */
public interface Cluster {
  /** The provider's id of the cluster. */
  String id();

  /** The cluster's name, unique per account. */
  String name();

  /** The region slug, e.g. {@code sfo2}. */
  String region();

  /** The version slug, e.g. {@code 1.31.1-do.5}. */
  String version();

  /** The state when last read. */
  ClusterStatus status();

  /** The provider's message about that state, e.g. why it is in {@code error}, or null. */
  @Nullable String statusMessage();

  /** The Kubernetes API server's URL; null until the provider has assigned one. */
  @Nullable URI endpoint();

  /** The node pools when last read. */
  List<NodePool> nodePools();

  /** The cluster's tags, including any the provider added. */
  List<String> tags();

  /** Whether the provider upgrades patch versions in the maintenance window. */
  boolean autoUpgrade();

  /** Whether the control plane is highly available. */
  boolean highAvailability();

  /** The maintenance window, or null when the provider did not say. */
  @Nullable MaintenanceWindow maintenanceWindow();

  /** When the cluster was created, or null when the provider did not say. */
  @Nullable Instant createdAt();

  /** When the cluster last changed, or null when the provider did not say. */
  default @Nullable Instant updatedAt() {
    return null;
  }

  /**
   * The id of the private network (VPC) the cluster is in, or null when the provider did not say.
   */
  default @Nullable String vpcId() {
    return null;
  }

  /** Whether upgrades add fresh nodes before they drain old ones (surge upgrade). */
  default boolean surgeUpgrade() {
    return false;
  }

  /** The API server's public IPv4 address, or null until the provider has assigned one. */
  default @Nullable String ipv4() {
    return null;
  }

  /** The range pod addresses come from (a CIDR), or null when the provider did not say. */
  default @Nullable String clusterSubnet() {
    return null;
  }

  /** The range Service addresses come from (a CIDR), or null when the provider did not say. */
  default @Nullable String serviceSubnet() {
    return null;
  }

  /** Reads the cluster's current state. */
  Cluster refresh();

  /**
   * Waits until the cluster is {@link ClusterStatus#RUNNING} and returns it with that state. Checks
   * with backoff (about 2 s growing to 15 s, slower if the provider rate-limits), reporting state,
   * message, nodes running out of total and time elapsed to {@code listener}.
   *
   * @throws WaitFailedException at once when the cluster reaches a failure state, with the
   *     provider's message
   * @throws WaitTimeoutException when {@code timeout} passes, naming the last state seen
   */
  Cluster awaitRunning(Duration timeout, ProgressListener listener);

  /** Like {@link #awaitRunning(Duration, ProgressListener)}, logging progress. */
  default Cluster awaitRunning(Duration timeout) {
    return awaitRunning(timeout, ProgressListener.toLog());
  }

  /** Credentials for the Kubernetes API: server, CA and a token or client certificate. */
  ClusterCredentials credentials();

  /** The provider's kubeconfig for this cluster, as YAML text. */
  String kubeconfig();

  /** Changes the cluster's settings and returns it as the provider answered. */
  Cluster update(ClusterUpdate update);

  /**
   * The node pool called {@code name}.
   *
   * @throws IllegalArgumentException when there is none, listing the pools there are
   */
  NodePool nodePool(String name);

  /** Adds a node pool and returns it. */
  NodePool addNodePool(NodePoolSpec spec);

  /** The versions this cluster can be upgraded to, oldest first; empty when none. */
  List<String> availableUpgrades();

  /** Starts an upgrade to {@code version} and returns the cluster as the provider answered. */
  Cluster upgrade(String version);

  /** The volumes, snapshots and load balancers the cluster created, which can outlive it. */
  AssociatedResources associatedResources();

  /**
   * Deletes the cluster and its nodes, and the associated resources the options name; with no
   * option, volumes and load balancers are kept. Returns once the provider accepted the request;
   * see {@link #awaitDeleted}.
   */
  void delete(DeleteOption... options);

  /** Waits until the provider no longer knows the cluster. */
  void awaitDeleted(Duration timeout);
}
