package dev.devkube;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The managed NFS shares of one provider account: a share outlives every cluster and is mounted by
 * the pods of the networks it is attached to.
 *
 * <pre>{@code
 * FileShare share = cloud.fileShares()
 *     .find("devkube-share", "atl1")
 *     .orElseGet(() -> cloud.fileShares().create(
 *         FileShareSpec.named("devkube-share").region("atl1").vpc(cluster.vpcId())));
 * share = cloud.fileShares().awaitActive(share, Duration.ofMinutes(10), ProgressListener.toLog());
 * }</pre>
 */
public interface FileShares {
  /** Creates a share; it is {@code CREATING} at first. The spec is validated first. */
  FileShare create(FileShareSpec spec);

  /**
   * The share with {@code id} in {@code region}.
   *
   * @throws NotFoundException when there is none
   */
  FileShare get(String id, String region);

  /** The shares in {@code region} (null: every region). */
  List<FileShare> list(@org.jspecify.annotations.Nullable String region);

  /** The share called {@code name} in {@code region}, if there is one. */
  Optional<FileShare> find(String name, String region);

  /** Grows the share to {@code sizeGib}; shares do not shrink. */
  void resize(FileShare share, int sizeGib);

  /** Takes a snapshot of the share's files, called {@code name}. */
  void snapshot(FileShare share, String name);

  /** Deletes the share and its files. */
  void delete(FileShare share);

  /**
   * Waits until the share serves (active, with a host and a path), reporting progress.
   *
   * @throws WaitTimeoutException when it does not within {@code timeout}
   * @throws WaitFailedException when it fails
   */
  FileShare awaitActive(FileShare share, Duration timeout, ProgressListener listener);
}
