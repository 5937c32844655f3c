package dev.devkube.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes secrets: files readable by their owner only (0600) in directories only their owner can
 * enter (0700), replaced atomically so that no reader ever sees half a key. On file systems without
 * POSIX permissions the platform's defaults apply.
 */
public final class SecureFiles {
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  private SecureFiles() {}

  /**
   * Creates {@code dir} and any missing parents; the directories created are 0700. An existing
   * directory is left as it is.
   */
  public static void createPrivateDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (Files.isDirectory(absolute)) {
      return;
    }
    Path parent = absolute.getParent();
    if (parent != null) {
      createPrivateDirectories(parent);
    }
    if (isPosix(absolute)) {
      Files.createDirectory(absolute, PosixFilePermissions.asFileAttribute(OWNER_DIR));
      // The umask may have removed bits we asked for; set them exactly.
      Files.setPosixFilePermissions(absolute, OWNER_DIR);
    } else {
      Files.createDirectory(absolute);
    }
  }

  /**
   * Creates {@code dir} as {@link #createPrivateDirectories} does, and makes it 0700 if it existed
   * with wider permissions: it is about to hold secrets. Its parents are left as they are.
   */
  public static void createPrivateDirectory(Path dir) throws IOException {
    createPrivateDirectories(dir);
    Path absolute = dir.toAbsolutePath();
    if (isPosix(absolute)
        && !Files.getPosixFilePermissions(absolute, LinkOption.NOFOLLOW_LINKS).equals(OWNER_DIR)) {
      Files.setPosixFilePermissions(absolute, OWNER_DIR);
    }
  }

  /**
   * Writes {@code content} to {@code file} with permissions 0600: to a temporary file beside it,
   * flushed to disk, then moved over {@code file} in one step.
   */
  public static void writeAtomically(Path file, byte[] content) throws IOException {
    Path absolute = file.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null) {
      throw new IOException("cannot write " + file + ": it names no file inside a folder");
    }
    FileAttribute<?>[] attributes =
        isPosix(dir)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
            : new FileAttribute<?>[0];
    Path temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp", attributes);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        out.write(content);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(
            temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
