package dev.devkube.testkit.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A container's view of files: its own root file system with the pod's volumes mounted over it,
 * each at its mount path (with its sub path and read-only flag). A path resolves to the volume with
 * the longest mount path that holds it.
 */
public final class Mounts {
  /** One volume mounted at {@code path}; {@code subPath} is the folder of the volume it shows. */
  public record Mount(String path, FakeFs fs, String subPath, boolean readOnly) {}

  private final List<Mount> mounts;

  Mounts(FakeFs root, List<Mount> volumes) throws IOException {
    List<Mount> all = new ArrayList<>(volumes);
    all.add(new Mount("/", root, "/", false));
    all.sort(Comparator.comparingInt((Mount m) -> FakeFs.parts(m.path()).size()).reversed());
    this.mounts = List.copyOf(all);
    for (Mount mount : volumes) {
      root.mkdir(mount.path(), true, 0755);
      mount.fs().mkdir(mount.subPath(), true, 0755);
    }
  }

  private record Resolved(Mount mount, String path) {}

  private Resolved resolve(String path) {
    List<String> parts = FakeFs.parts(path);
    for (Mount mount : mounts) {
      List<String> at = FakeFs.parts(mount.path());
      if (parts.size() >= at.size() && parts.subList(0, at.size()).equals(at)) {
        String rest = String.join("/", parts.subList(at.size(), parts.size()));
        return new Resolved(mount, mount.subPath() + "/" + rest);
      }
    }
    throw new IllegalStateException("the root mount holds every path");
  }

  private Resolved writable(String path) throws IOException {
    Resolved resolved = resolve(path);
    if (resolved.mount().readOnly()) {
      throw new AccessDeniedException(path, null, "Read-only file system");
    }
    return resolved;
  }

  public FakeFs.@Nullable Entry stat(String path) throws IOException {
    Resolved r = resolve(path);
    return r.mount().fs().stat(r.path());
  }

  public boolean isDirectory(String path) throws IOException {
    FakeFs.Entry entry = stat(path);
    return entry != null && entry.directory();
  }

  public byte[] read(String path) throws IOException {
    Resolved r = resolve(path);
    return r.mount().fs().read(r.path());
  }

  public void write(String path, byte[] content, boolean append) throws IOException {
    Resolved r = writable(path);
    r.mount().fs().write(r.path(), content, append, 0644);
  }

  public void mkdir(String path, boolean parents) throws IOException {
    if (parents) {
      // Each part on the volume that holds it, so a path across a mount point works.
      List<String> parts = FakeFs.parts(path);
      for (int i = 1; i <= parts.size(); i++) {
        String prefix = "/" + String.join("/", parts.subList(0, i));
        if (!isDirectory(prefix)) {
          Resolved r = writable(prefix);
          r.mount().fs().mkdir(r.path(), true, 0755);
        }
      }
      return;
    }
    Resolved r = writable(path);
    r.mount().fs().mkdir(r.path(), false, 0755);
  }

  public List<String> list(String path) throws IOException {
    Resolved r = resolve(path);
    return r.mount().fs().list(r.path());
  }

  public void delete(String path, boolean recursive) throws IOException {
    Resolved r = writable(path);
    r.mount().fs().delete(r.path(), recursive);
  }

  public void chmod(String path, int mode) throws IOException {
    Resolved r = writable(path);
    r.mount().fs().chmod(r.path(), mode);
  }

  public void touch(String path, long modified) throws IOException {
    Resolved r = writable(path);
    r.mount().fs().touch(r.path(), modified);
  }
}
