package dev.devkube;

/**
 * A cloud that creates managed Kubernetes clusters. Holds connections: share one per application
 * and close it when done.
 *
 * <pre>{@code
 * try (CloudProvider cloud = DigitalOcean.fromEnvironment()) {
 *   List<String> names = cloud.clusters().list().stream().map(Cluster::name).toList();
 * }
 * }</pre>
 */
public interface CloudProvider extends AutoCloseable {
  /** The provider's name, e.g. {@code DigitalOcean}. */
  String name();

  /** The clusters of this account. */
  Clusters clusters();

  /** The regions, versions and sizes the provider offers. */
  ClusterOptions options();

  /**
   * The account's block storage volumes and their snapshots: where a kept share's files are.
   *
   * @throws UnsupportedOperationException when the provider offers none through devkube
   */
  default BlockVolumes volumes() {
    throw new UnsupportedOperationException(name() + " offers no block volumes through devkube");
  }

  /**
   * The account's managed NFS shares.
   *
   * @throws UnsupportedOperationException when the provider offers none through devkube
   */
  default FileShares fileShares() {
    throw new UnsupportedOperationException(name() + " offers no file shares through devkube");
  }

  /** Releases connections and threads; the provider is not usable afterwards. */
  @Override
  void close();
}
