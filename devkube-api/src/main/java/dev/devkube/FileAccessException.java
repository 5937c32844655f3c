package dev.devkube;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A local file could not be read or written: credentials, a kubeconfig, a token file, an ssh key.
 * The message names the file and what the system said; {@link #getCause()} is the {@link
 * IOException}.
 */
public class FileAccessException extends DevkubeException {
  private static final long serialVersionUID = 1L;

  private final String path;

  /** A failure to read or write {@code path}, described by {@code message}. */
  public FileAccessException(String message, Path path, IOException cause) {
    super(message, cause);
    this.path = path.toString();
  }

  /** The file (or folder) that could not be read or written. */
  public Path path() {
    return Path.of(path);
  }
}
