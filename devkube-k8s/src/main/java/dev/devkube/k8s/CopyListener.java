package dev.devkube.k8s;

/**
 * Told how far a copy ({@link KubePod#copyTo}, {@link KubePod#copyFrom}) has come, after each file.
 * Called on the copying thread; keep it quick.
 */
@FunctionalInterface
public interface CopyListener {
  /**
   * Called after each file.
   *
   * @param bytes the bytes of file content copied so far
   * @param totalBytes all the bytes to copy, or -1 when not known (a copy from a pod)
   * @param file the file just copied, as named in the archive
   */
  void copied(long bytes, long totalBytes, String file);

  /** A listener that ignores every report. */
  static CopyListener none() {
    return (bytes, total, file) -> {};
  }
}
