package dev.devkube.k8s.internal;

import dev.devkube.DevkubeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Tar archives (POSIX ustar, PAX records for long names) for copying files to and from pods, as
 * {@code kubectl cp} does: written from local files, read into a local folder with every entry
 * checked to land inside it.
 */
public final class TarArchive {
  private TarArchive() {}

  /** The permission bits from owner read (0400) down to others execute (0001). */
  private static final List<PosixFilePermission> PERMISSIONS =
      List.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE,
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  /** Reports progress: content bytes so far, the total (or -1), the entry just done. */
  public interface Progress {
    void copied(long bytes, long total, String entry);
  }

  /** The content bytes under {@code local}: what a copy of it sends. */
  public static long size(Path local) throws IOException {
    if (!Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS)) {
      return Files.size(local);
    }
    try (Stream<Path> files = Files.walk(local)) {
      long total = 0;
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          total += Files.size(p);
        }
      }
      return total;
    }
  }

  /**
   * Writes {@code local} (a file, or a folder and everything in it; symbolic links are left out) as
   * entries named {@code name}, {@code name/...}.
   */
  public static void write(Path local, String name, OutputStream out, Progress progress)
      throws IOException {
    long total = size(local);
    long[] done = {0};
    add(local, name, out, progress, done, total);
    out.write(new byte[1024]);
    out.flush();
  }

  private static void add(
      Path path, String name, OutputStream out, Progress progress, long[] done, long total)
      throws IOException {
    if (Files.isSymbolicLink(path)) {
      return;
    }
    long modified = Files.getLastModifiedTime(path).toMillis() / 1000;
    if (Files.isDirectory(path)) {
      header(out, name + "/", '5', 0, mode(path, 0755), modified);
      List<Path> children = new ArrayList<>();
      try (Stream<Path> list = Files.list(path)) {
        list.sorted().forEach(children::add);
      }
      for (Path child : children) {
        add(child, name + "/" + child.getFileName(), out, progress, done, total);
      }
      return;
    }
    long size = Files.size(path);
    header(out, name, '0', size, mode(path, 0644), modified);
    long copied;
    try (InputStream in = Files.newInputStream(path)) {
      copied = in.transferTo(out);
    }
    if (copied != size) {
      throw new IOException(
          "the file "
              + path
              + " changed size while it was copied ("
              + size
              + " -> "
              + copied
              + " bytes)");
    }
    out.write(new byte[(int) ((512 - size % 512) % 512)]);
    done[0] += size;
    progress.copied(done[0], total, name);
  }

  private static int mode(Path path, int fallback) {
    try {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
      int mode = 0;
      int bit = 0400;
      for (PosixFilePermission p : PERMISSIONS) {
        if (permissions.contains(p)) {
          mode |= bit;
        }
        bit >>= 1;
      }
      return mode;
    } catch (UnsupportedOperationException | IOException e) {
      return fallback;
    }
  }

  private static void header(
      OutputStream out, String name, char type, long size, int mode, long modified)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      byte[] record = paxRecord("path", name);
      header(out, "././@PaxHeader", 'x', record.length, 0644, modified);
      out.write(record);
      out.write(new byte[(512 - record.length % 512) % 512]);
      nameBytes = java.util.Arrays.copyOf(nameBytes, 100);
    }
    byte[] h = new byte[512];
    System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, modified);
    h[156] = (byte) type;
    byte[] magic = "ustar".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    h[263] = '0';
    h[264] = '0';
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
  }

  /** A PAX record: its own length in decimal, a space, key=value, a newline. */
  static byte[] paxRecord(String key, String value) {
    int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int length = body + String.valueOf(body).length();
    if (String.valueOf(length).length() != String.valueOf(body).length()) {
      length++;
    }
    return (length + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    if (digits.length() > length - 1) {
      throw new IllegalArgumentException("too large for a tar header: " + value);
    }
    byte[] bytes =
        ("0".repeat(length - 1 - digits.length()) + digits).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, h, offset, bytes.length);
  }

  /**
   * Reads an archive into {@code target}: the entry {@code root} becomes {@code target} itself,
   * {@code root/x} becomes {@code target/x}. An entry outside {@code root}, with {@code ..} or an
   * absolute name, or one that would land outside {@code target}, is refused before anything of it
   * is written; links and special files are skipped.
   *
   * @return the number of files written
   */
  public static int extract(InputStream in, String root, Path target, Progress progress)
      throws IOException {
    Path base = target.toAbsolutePath().normalize();
    @Nullable String longName = null;
    long done = 0;
    int files = 0;
    while (true) {
      byte[] h = in.readNBytes(512);
      if (h.length == 0) {
        break;
      }
      if (h.length < 512) {
        throw new DevkubeException("the archive from the pod ended inside a header");
      }
      if (zero(h)) {
        break;
      }
      long size = parseOctal(h, 124, 12);
      char type = (char) h[156];
      if (type == 'x' || type == 'L') {
        byte[] data = in.readNBytes((int) size);
        in.skipNBytes((512 - size % 512) % 512);
        longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data, longName);
        continue;
      }
      if (type == 'g') {
        in.skipNBytes(size + (512 - size % 512) % 512);
        continue;
      }
      String name = longName != null ? longName : name(h);
      longName = null;
      Path destination = destination(name, root, base);
      if (type == '5') {
        Files.createDirectories(destination);
      } else if (type == '0' || type == '\0' || type == '7') {
        Files.createDirectories(destination.getParent());
        try (OutputStream out = Files.newOutputStream(destination)) {
          long left = size;
          byte[] buffer = new byte[64 * 1024];
          while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
              throw new DevkubeException("the archive from the pod ended inside " + name);
            }
            out.write(buffer, 0, n);
            left -= n;
          }
        }
        Files.setLastModifiedTime(destination, FileTime.fromMillis(parseOctal(h, 136, 12) * 1000));
        in.skipNBytes((512 - size % 512) % 512);
        done += size;
        files++;
        progress.copied(done, -1, name);
        continue;
      }
      // links, devices, fifos: not copied
      in.skipNBytes(size + (512 - size % 512) % 512);
    }
    return files;
  }

  static Path destination(String name, String root, Path base) {
    String clean = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    if (clean.startsWith("/") || List.of(clean.split("/", -1)).contains("..")) {
      throw new DevkubeException(
          "refused the archive entry \"" + name + "\": it would land outside " + base);
    }
    String rest;
    if (clean.equals(root)) {
      rest = "";
    } else if (clean.startsWith(root + "/")) {
      rest = clean.substring(root.length() + 1);
    } else {
      throw new DevkubeException(
          "refused the archive entry \"" + name + "\": it is not under \"" + root + "\"");
    }
    Path destination = rest.isEmpty() ? base : base.resolve(rest).normalize();
    if (!destination.startsWith(base)) {
      throw new DevkubeException(
          "refused the archive entry \"" + name + "\": it would land outside " + base);
    }
    return destination;
  }

  private static boolean zero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String name(byte[] h) {
    String name = cString(h, 0, 100);
    if (cString(h, 257, 6).startsWith("ustar")) {
      String prefix = cString(h, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String cString(byte[] b, int offset, int length) {
    int end = offset;
    while (end < offset + length && end < b.length && b[end] != 0) {
      end++;
    }
    return new String(b, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long parseOctal(byte[] h, int offset, int length) {
    String text = cString(h, offset, length).trim();
    try {
      return text.isEmpty() ? 0 : Long.parseLong(text, 8);
    } catch (NumberFormatException e) {
      throw new DevkubeException("the archive from the pod has a malformed header: " + text);
    }
  }

  private static @Nullable String paxPath(byte[] data, @Nullable String current) {
    String path = current;
    for (String record : new String(data, StandardCharsets.UTF_8).split("\n", -1)) {
      int space = record.indexOf(' ');
      if (space >= 0 && record.startsWith("path=", space + 1)) {
        path = record.substring(space + 6);
      }
    }
    return path;
  }
}
