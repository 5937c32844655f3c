package dev.devkube.testkit;

import java.io.IOException;
import java.util.Map;

/**
 * A running container of {@link FakeKubernetes}, as an exec command or a port handler sees it:
 * which pod it is, its image and environment, and its files (its own and its volumes', as mounted).
 */
public interface FakeContainer {
  /** The pod's namespace. */
  String namespace();

  /** The pod's name. */
  String pod();

  /** The container's name. */
  String name();

  /** The container's image, as the pod names it. */
  String image();

  /** Its environment: {@code env} values, and {@code valueFrom} Secret and ConfigMap keys. */
  Map<String, String> env();

  /** The user it runs as: the security context's {@code runAsUser}, else 0. */
  long uid();

  /** A file's content, read through the container's mounts. */
  byte[] readFile(String path) throws IOException;

  /** Writes a file (its folder must exist), through the container's mounts. */
  void writeFile(String path, byte[] content) throws IOException;

  /** True when the path names a file or folder. */
  boolean exists(String path) throws IOException;
}
