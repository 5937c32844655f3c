package dev.devkube.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The fake's {@code tar}, as far as {@code kubectl cp} and devkube's copy use it: create ({@code
 * c}) to stdout and extract ({@code x}) or list ({@code t}) from stdin, {@code f -}, {@code -C
 * dir}, ustar headers with PAX ({@code x}) and GNU ({@code L}) long names read, PAX written for
 * names over 100 bytes. Like GNU tar it strips a leading {@code /} from member names on create and
 * skips members whose names hold {@code ..} on extract.
 */
final class TarCommand {
  private final Mounts files;
  private final String cwd;

  TarCommand(Mounts files, String cwd) {
    this.files = files;
    this.cwd = cwd;
  }

  int run(List<String> args, InputStream in, OutputStream out, PrintStream err) throws IOException {
    char mode = 0;
    String archive = null;
    String dir = cwd;
    List<String> names = new ArrayList<>();
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--")) {
        if (arg.startsWith("--directory=")) {
          dir = Shell.absolute(cwd, arg.substring("--directory=".length()));
        }
        continue; // --no-same-owner, --no-same-permissions and the like change nothing here
      }
      boolean options = arg.startsWith("-") || (i == 1 && !arg.isEmpty());
      if (!options) {
        names.add(arg);
        continue;
      }
      String letters = arg.startsWith("-") ? arg.substring(1) : arg;
      for (int j = 0; j < letters.length(); j++) {
        char c = letters.charAt(j);
        switch (c) {
          case 'c', 'x', 't' -> mode = c;
          case 'f' -> archive = ++i < args.size() ? args.get(i) : null;
          case 'C' -> dir = ++i < args.size() ? Shell.absolute(cwd, args.get(i)) : dir;
          case 'm', 'v', 'p', 'o' -> {
            // times, verbosity, permissions, owners: accepted
          }
          default -> {
            err.println("tar: invalid option -- '" + c + "'");
            return 2;
          }
        }
      }
    }
    if (mode == 0) {
      err.println(
          "tar: You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
      return 2;
    }
    if (archive != null && !archive.equals("-")) {
      err.println("tar: only the archive '-' (standard input or output) is supported here");
      return 2;
    }
    return mode == 'c' ? create(dir, names, out, err) : extract(dir, in, mode == 't', out, err);
  }

  private int create(String dir, List<String> names, OutputStream out, PrintStream err)
      throws IOException {
    if (names.isEmpty()) {
      err.println("tar: Cowardly refusing to create an empty archive");
      return 2;
    }
    int status = 0;
    boolean warned = false;
    for (String name : names) {
      String member = name;
      while (member.startsWith("/")) {
        member = member.substring(1);
        if (!warned) {
          err.println("tar: Removing leading `/' from member names");
          warned = true;
        }
      }
      String path = Shell.absolute(dir, name);
      if (files.stat(path) == null) {
        err.println("tar: " + name + ": Cannot stat: No such file or directory");
        status = 2;
        continue;
      }
      add(path, member.isEmpty() ? "." : member, out);
    }
    out.write(new byte[1024]);
    if (status != 0) {
      err.println("tar: Exiting with failure status due to previous errors");
    }
    return status;
  }

  private void add(String path, String member, OutputStream out) throws IOException {
    FakeFs.Entry entry = files.stat(path);
    if (entry == null) {
      return;
    }
    if (entry.directory()) {
      String name = member.endsWith("/") ? member : member + "/";
      header(out, name, '5', 0, entry.mode(), entry.modified());
      for (String child : files.list(path)) {
        add(path + "/" + child, name + child, out);
      }
      return;
    }
    byte[] content = files.read(path);
    header(out, member, '0', content.length, entry.mode(), entry.modified());
    out.write(content);
    out.write(new byte[(512 - content.length % 512) % 512]);
  }

  private static void header(
      OutputStream out, String name, char type, long size, int mode, long modified)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      String record = " path=" + name + "\n";
      int length = record.getBytes(StandardCharsets.UTF_8).length;
      length += String.valueOf(length + String.valueOf(length).length()).length();
      byte[] pax = (length + record).getBytes(StandardCharsets.UTF_8);
      header(
          out,
          "PaxHeaders/" + (name.length() > 80 ? name.substring(0, 80) : name),
          'x',
          pax.length,
          0644,
          modified);
      out.write(pax);
      out.write(new byte[(512 - pax.length % 512) % 512]);
      nameBytes = java.util.Arrays.copyOf(nameBytes, 100);
    }
    byte[] h = new byte[512];
    System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
    octal(h, 100, 8, mode & 07777);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, modified / 1000);
    h[156] = (byte) type;
    System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
    byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, h, offset, Math.min(bytes.length, length - 1));
  }

  private int extract(
      String dir, InputStream in, boolean listOnly, OutputStream out, PrintStream err)
      throws IOException {
    if (!listOnly && !files.isDirectory(dir)) {
      err.println("tar: " + dir + ": Cannot open: No such file or directory");
      return 2;
    }
    String longName = null;
    int status = 0;
    while (true) {
      byte[] h = in.readNBytes(512);
      if (h.length < 512) {
        if (h.length > 0) {
          err.println("tar: Unexpected EOF in archive");
          return 2;
        }
        break;
      }
      if (isZero(h)) {
        break;
      }
      long size = parseOctal(h, 124, 12);
      char type = (char) h[156];
      byte[] data = in.readNBytes((int) size);
      in.readNBytes((int) ((512 - size % 512) % 512));
      if (data.length < size) {
        err.println("tar: Unexpected EOF in archive");
        return 2;
      }
      if (type == 'x' || type == 'L') {
        longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
        continue;
      }
      if (type == 'g') {
        continue;
      }
      String name = longName != null ? longName : name(h);
      longName = null;
      if (listOnly) {
        out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
        continue;
      }
      if (List.of(name.split("/", -1)).contains("..")) {
        err.println("tar: " + name + ": Member name contains '..'");
        status = 2;
        continue;
      }
      String target = Shell.absolute(dir, name.replaceFirst("^/+", ""));
      int mode = (int) parseOctal(h, 100, 8);
      long modified = parseOctal(h, 136, 12) * 1000;
      switch (type) {
        case '5' -> files.mkdir(target, true);
        case '0', '\0', '7' -> {
          String parent = target.substring(0, Math.max(1, target.lastIndexOf('/')));
          files.mkdir(parent, true);
          files.write(target, data, false);
          files.chmod(target, mode == 0 ? 0644 : mode);
          files.touch(target, modified);
        }
        default -> err.println("tar: " + name + ": links and special files are skipped here");
      }
    }
    return status;
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String name(byte[] h) {
    String name = cString(h, 0, 100);
    String magic = cString(h, 257, 6);
    if (magic.startsWith("ustar")) {
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
    return text.isEmpty() ? 0 : Long.parseLong(text, 8);
  }

  private static String paxPath(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    String path = null;
    for (String record : text.split("\n", -1)) {
      int space = record.indexOf(' ');
      if (space < 0) {
        continue;
      }
      String kv = record.substring(space + 1);
      if (kv.startsWith("path=")) {
        path = kv.substring(5);
      }
    }
    return path == null ? "" : path;
  }
}
