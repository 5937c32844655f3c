package dev.devkube.k8s;

import dev.devkube.DevkubeException;
import dev.devkube.FileAccessException;
import dev.devkube.TransportException;
import dev.devkube.k8s.internal.TarArchive;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** {@link KubePod#copyTo} and {@link KubePod#copyFrom}: tar over exec, as kubectl cp. */
final class Copies {
  private static final Duration END = Duration.ofMinutes(2);

  private Copies() {}

  private static String checkPodPath(String podPath) {
    if (podPath == null || !podPath.startsWith("/") || podPath.contains("\0")) {
      throw new IllegalArgumentException(
          "the path in the pod must be absolute (start with /), was " + podPath);
    }
    String clean = podPath.replaceAll("/+$", "");
    return clean.isEmpty() ? "/" : clean;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static String base(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static void copyTo(KubePod pod, Path local, String podPath, CopyListener listener) {
    String target = checkPodPath(podPath);
    if (!Files.exists(local)) {
      throw new FileAccessException(
          "cannot copy "
              + local
              + " to pod "
              + pod.namespace()
              + "/"
              + pod.name()
              + ": it does not exist",
          local,
          new java.nio.file.NoSuchFileException(local.toString()));
    }
    if (!target.equals("/") && pod.exec("test", "-d", target).succeeded()) {
      target = target + "/" + local.toAbsolutePath().normalize().getFileName();
    } else if (target.equals("/")) {
      target = "/" + local.toAbsolutePath().normalize().getFileName();
    }
    String name = base(target);
    try (ExecSession tar =
        pod.execStream(ExecOptions.defaults(), "tar", "-xmf", "-", "-C", parent(target))) {
      Drain stderr = new Drain(tar.stderr());
      Drain stdout = new Drain(tar.stdout());
      try (OutputStream in = tar.stdin()) {
        TarArchive.write(local, name, in, listener::copied);
      } catch (IOException e) {
        if (e instanceof java.nio.file.FileSystemException f) {
          throw new FileAccessException(
              "could not read " + local + " to copy it: " + e.getMessage(), local, f);
        }
        throw new TransportException(
            "the copy of " + local + " to " + pod.name() + ":" + target + " was cut: " + e, e);
      }
      int exit = tar.waitFor(END);
      if (exit != 0) {
        throw new DevkubeException(
            "tar in pod "
                + pod.namespace()
                + "/"
                + pod.name()
                + " could not write "
                + target
                + " (exit "
                + exit
                + "): "
                + stderr.text()
                + stdout.text());
      }
    }
  }

  static void copyFrom(KubePod pod, String podPath, Path local, CopyListener listener) {
    String source = checkPodPath(podPath);
    if (source.equals("/")) {
      throw new IllegalArgumentException("copy a folder of the pod, not its whole file system");
    }
    Path target = Files.isDirectory(local) ? local.resolve(base(source)) : local;
    try (ExecSession tar =
        pod.execStream(
            ExecOptions.defaults(), "tar", "cf", "-", "-C", parent(source), base(source))) {
      Drain stderr = new Drain(tar.stderr());
      try (InputStream archive = tar.stdout()) {
        TarArchive.extract(archive, base(source), target, listener::copied);
        archive.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw new FileAccessException(
            "could not write " + target + " from " + pod.name() + ":" + source + ": " + e,
            target,
            e);
      }
      int exit = tar.waitFor(END);
      if (exit != 0) {
        throw new DevkubeException(
            "tar in pod "
                + pod.namespace()
                + "/"
                + pod.name()
                + " could not read "
                + source
                + " (exit "
                + exit
                + "): "
                + stderr.text());
      }
    }
  }

  /** Reads a stream to its end on its own thread, keeping the first 64 KiB as text. */
  private static final class Drain {
    private final StringBuilder text = new StringBuilder();
    private final Thread thread;

    Drain(InputStream in) {
      thread =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try {
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    synchronized (text) {
                      if (text.length() < 65536) {
                        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                      }
                    }
                  }
                } catch (IOException ignored) {
                  // closed
                }
              },
              "devkube-copy-output");
      thread.setDaemon(true);
      thread.start();
    }

    String text() {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (text) {
        return text.toString().strip();
      }
    }
  }
}
