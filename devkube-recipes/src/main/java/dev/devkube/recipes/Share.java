package dev.devkube.recipes;

import dev.devkube.k8s.CopyListener;
import java.nio.file.Path;
import java.util.List;

/**
 * The environment's NFS share, reached through the ssh server's pod (where it is mounted at {@code
 * /mnt/nfs}) over the API server: no node port, no ssh key. Made by {@link DevEnvironment#share()}.
 *
 * <pre>{@code
 * env.share().upload(Path.of("site"), "www");      // the share's www/site
 * env.share().download("www/site", Path.of("back"));
 * }</pre>
 */
public final class Share {
  static final String MOUNT = "/mnt/nfs";
  private final DevEnvironment environment;

  Share(DevEnvironment environment) {
    this.environment = environment;
  }

  /**
   * Copies a local file or folder into the share's folder {@code dir} ({@code ""} for the share's
   * root), made if missing.
   */
  public void upload(Path local, String dir) {
    upload(local, dir, CopyListener.none());
  }

  /** Like {@link #upload(Path, String)}, reporting each file to {@code listener}. */
  public void upload(Path local, String dir, CopyListener listener) {
    String target = path(dir);
    environment.exec(Part.SSH, "mkdir", "-p", target);
    environment.pod(Part.SSH).copyTo(local, target, listener);
  }

  /** Copies the share's file or folder {@code path} to {@code local}. */
  public void download(String path, Path local) {
    download(path, local, CopyListener.none());
  }

  /** Like {@link #download(String, Path)}, reporting each file to {@code listener}. */
  public void download(String path, Path local, CopyListener listener) {
    if (path.isBlank()) {
      throw new IllegalArgumentException("name a file or folder of the share to download");
    }
    environment.pod(Part.SSH).copyFrom(path(path), local, listener);
  }

  /** The path in the ssh pod of a path of the share; never outside the share. */
  static String path(String path) {
    if (path.startsWith("/") || List.of(path.split("/", -1)).contains("..")) {
      throw new IllegalArgumentException(
          "a path in the share is relative and stays inside it (no leading / and no ..), was \""
              + path
              + "\"");
    }
    String clean = path.replaceAll("/+", "/").replaceAll("/$", "");
    return clean.isEmpty() ? MOUNT : MOUNT + "/" + clean;
  }
}
