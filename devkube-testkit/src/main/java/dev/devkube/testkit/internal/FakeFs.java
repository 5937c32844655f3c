package dev.devkube.testkit.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One volume's files, in memory: folders and regular files with a mode and a modification time.
 * Paths are absolute within the volume ({@code /a/b}). Every method locks the volume, so pods that
 * share it see each other's writes at once, as NFS clients of one server do.
 */
public final class FakeFs {
  private final Node root = Node.dir(0755);
  private final boolean readOnly;

  public FakeFs() {
    this(false);
  }

  FakeFs(boolean readOnly) {
    this.readOnly = readOnly;
  }

  /** What {@code stat} says of a path. */
  public record Entry(String name, boolean directory, long size, int mode, long modified) {}

  private static final class Node {
    final @Nullable Map<String, Node> children;
    byte[] content = new byte[0];
    int mode;
    long modified = System.currentTimeMillis();

    private Node(@Nullable Map<String, Node> children, int mode) {
      this.children = children;
      this.mode = mode;
    }

    static Node dir(int mode) {
      return new Node(new TreeMap<>(), mode);
    }

    static Node file(int mode) {
      return new Node(null, mode);
    }

    boolean isDir() {
      return children != null;
    }

    Map<String, Node> entries() {
      if (children == null) {
        throw new IllegalStateException("not a folder");
      }
      return children;
    }
  }

  /** The path's parts, with {@code .} and {@code ..} resolved; never above the root. */
  static List<String> parts(String path) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    return new ArrayList<>(parts);
  }

  private @Nullable Node find(String path) throws IOException {
    Node node = root;
    for (String part : parts(path)) {
      if (!node.isDir()) {
        throw new NotDirectoryException(path);
      }
      node = node.entries().get(part);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private Node parentOf(String path) throws IOException {
    List<String> parts = parts(path);
    if (parts.isEmpty()) {
      throw new FileAlreadyExistsException("/");
    }
    Node parent = find(String.join("/", parts.subList(0, parts.size() - 1)));
    if (parent == null) {
      throw new NoSuchFileException(path);
    }
    if (!parent.isDir()) {
      throw new NotDirectoryException(path);
    }
    return parent;
  }

  private static String name(String path) {
    List<String> parts = parts(path);
    return parts.isEmpty() ? "/" : parts.get(parts.size() - 1);
  }

  private void writable(String path) throws IOException {
    if (readOnly) {
      throw new AccessDeniedException(path, null, "Read-only file system");
    }
  }

  public synchronized @Nullable Entry stat(String path) throws IOException {
    Node node = find(path);
    return node == null
        ? null
        : new Entry(
            name(path),
            node.isDir(),
            node.isDir() ? 4096 : node.content.length,
            node.mode,
            node.modified);
  }

  public synchronized byte[] read(String path) throws IOException {
    Node node = find(path);
    if (node == null) {
      throw new NoSuchFileException(path);
    }
    if (node.isDir()) {
      throw new IOException(path + ": Is a directory");
    }
    return node.content.clone();
  }

  /** Writes (or, with {@code append}, adds to) a regular file, made with {@code mode} if new. */
  public synchronized void write(String path, byte[] content, boolean append, int mode)
      throws IOException {
    writable(path);
    Node parent = parentOf(path);
    Node node = parent.entries().get(name(path));
    if (node == null) {
      node = Node.file(mode);
      parent.entries().put(name(path), node);
    } else if (node.isDir()) {
      throw new IOException(path + ": Is a directory");
    }
    if (append) {
      byte[] joined = new byte[node.content.length + content.length];
      System.arraycopy(node.content, 0, joined, 0, node.content.length);
      System.arraycopy(content, 0, joined, node.content.length, content.length);
      node.content = joined;
    } else {
      node.content = content.clone();
    }
    node.modified = System.currentTimeMillis();
  }

  /** Makes a folder; with {@code parents}, its missing parents too and no error if it exists. */
  public synchronized void mkdir(String path, boolean parents, int mode) throws IOException {
    writable(path);
    if (parents) {
      Node node = root;
      for (String part : parts(path)) {
        Node next = node.entries().get(part);
        if (next == null) {
          next = Node.dir(mode);
          node.entries().put(part, next);
        } else if (!next.isDir()) {
          throw new FileAlreadyExistsException(path);
        }
        node = next;
      }
      return;
    }
    Node parent = parentOf(path);
    if (parent.entries().containsKey(name(path))) {
      throw new FileAlreadyExistsException(path);
    }
    parent.entries().put(name(path), Node.dir(mode));
  }

  /** The names in a folder, sorted. */
  public synchronized List<String> list(String path) throws IOException {
    Node node = find(path);
    if (node == null) {
      throw new NoSuchFileException(path);
    }
    if (!node.isDir()) {
      throw new NotDirectoryException(path);
    }
    return new ArrayList<>(node.entries().keySet());
  }

  /** Removes a file, or a folder (only when empty unless {@code recursive}). */
  public synchronized void delete(String path, boolean recursive) throws IOException {
    writable(path);
    Node parent = parentOf(path);
    Node node = parent.entries().get(name(path));
    if (node == null) {
      throw new NoSuchFileException(path);
    }
    if (node.isDir() && !node.entries().isEmpty() && !recursive) {
      throw new DirectoryNotEmptyException(path);
    }
    parent.entries().remove(name(path));
  }

  public synchronized void chmod(String path, int mode) throws IOException {
    writable(path);
    Node node = find(path);
    if (node == null) {
      throw new NoSuchFileException(path);
    }
    node.mode = mode;
  }

  public synchronized void touch(String path, long modified) throws IOException {
    Node node = find(path);
    if (node == null) {
      write(path, new byte[0], true, 0644);
      node = find(path);
    }
    if (node != null) {
      node.modified = modified;
    }
  }

  /** A copy of every file's content by path, for tests that look inside a volume. */
  public synchronized Map<String, byte[]> files() {
    Map<String, byte[]> files = new TreeMap<>();
    collect(root, "", files);
    return files;
  }

  private static void collect(Node node, String path, Map<String, byte[]> files) {
    for (Map.Entry<String, Node> e : node.entries().entrySet()) {
      String child = path + "/" + e.getKey();
      if (e.getValue().isDir()) {
        collect(e.getValue(), child, files);
      } else {
        files.put(child, e.getValue().content.clone());
      }
    }
  }
}
