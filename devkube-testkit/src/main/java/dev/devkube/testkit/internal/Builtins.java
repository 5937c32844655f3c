package dev.devkube.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The fake shell's built-in programs, on the container's files. */
final class Builtins {
  private final Shell shell;
  private final ContainerContext container;

  Builtins(Shell shell, ContainerContext container) {
    this.shell = shell;
    this.container = container;
  }

  int run(String name, List<String> argv, InputStream in, OutputStream out, PrintStream err)
      throws IOException {
    Mounts files = container.files;
    List<String> args = argv.subList(1, argv.size());
    List<String> operands = new ArrayList<>();
    StringBuilder flags = new StringBuilder();
    for (String arg : args) {
      if (arg.startsWith("-")
          && arg.length() > 1
          && !name.equals("echo")
          && !name.equals("test")
          && !name.equals("[")
          && !name.equals("printf")) {
        flags.append(arg.substring(1));
      } else {
        operands.add(arg);
      }
    }
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    switch (name) {
      case "echo" -> {
        boolean newline = args.isEmpty() || !args.get(0).equals("-n");
        print.print(String.join(" ", newline ? args : args.subList(1, args.size())));
        if (newline) {
          print.print("\n");
        }
        return 0;
      }
      case "printf" -> {
        if (args.isEmpty()) {
          err.println("printf: usage: printf format [arguments]");
          return 2;
        }
        String format = args.get(0).replace("\\n", "\n").replace("\\t", "\t");
        int next = 1;
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
          char c = format.charAt(i);
          if (c == '%' && i + 1 < format.length()) {
            char f = format.charAt(++i);
            if (f == '%') {
              result.append('%');
            } else {
              result.append(next < args.size() ? args.get(next++) : "");
            }
          } else {
            result.append(c);
          }
        }
        print.print(result);
        return 0;
      }
      case "cat" -> {
        if (operands.isEmpty() || operands.equals(List.of("-"))) {
          in.transferTo(out);
          return 0;
        }
        int result = 0;
        for (String f : operands) {
          try {
            out.write(files.read(Shell.absolute(shell.cwd, f)));
          } catch (IOException e) {
            err.println("cat: can't open '" + f + "': " + Shell.message(e));
            result = 1;
          }
        }
        return result;
      }
      case "ls" -> {
        List<String> targets = operands.isEmpty() ? List.of(".") : operands;
        boolean all = flags.indexOf("a") >= 0;
        boolean longForm = flags.indexOf("l") >= 0;
        int result = 0;
        for (String t : targets) {
          String path = Shell.absolute(shell.cwd, t);
          FakeFs.Entry entry = files.stat(path);
          if (entry == null) {
            err.println("ls: " + t + ": No such file or directory");
            result = 2;
            continue;
          }
          List<String> names = entry.directory() ? files.list(path) : List.of(t);
          if (targets.size() > 1 && entry.directory()) {
            print.print(t + ":\n");
          }
          for (String n : names) {
            if (!all && n.startsWith(".")) {
              continue;
            }
            if (longForm) {
              FakeFs.Entry e = files.stat(entry.directory() ? path + "/" + n : path);
              if (e != null) {
                print.print(
                    (e.directory() ? "d" : "-")
                        + permissions(e.mode())
                        + " 1 root root "
                        + e.size()
                        + " "
                        + n
                        + "\n");
              }
            } else {
              print.print(n + "\n");
            }
          }
        }
        return result;
      }
      case "mkdir" -> {
        int result = 0;
        for (String d : operands) {
          try {
            files.mkdir(Shell.absolute(shell.cwd, d), flags.indexOf("p") >= 0);
          } catch (IOException e) {
            err.println("mkdir: can't create directory '" + d + "': " + Shell.message(e));
            result = 1;
          }
        }
        return result;
      }
      case "rm", "rmdir" -> {
        boolean force = flags.indexOf("f") >= 0;
        boolean recursive = flags.indexOf("r") >= 0 || flags.indexOf("R") >= 0;
        int result = 0;
        for (String f : operands) {
          String path = Shell.absolute(shell.cwd, f);
          FakeFs.Entry entry = files.stat(path);
          if (entry == null) {
            if (!force) {
              err.println(name + ": can't remove '" + f + "': No such file or directory");
              result = 1;
            }
            continue;
          }
          if (entry.directory() && name.equals("rm") && !recursive) {
            err.println("rm: can't remove '" + f + "': Is a directory");
            result = 1;
            continue;
          }
          files.delete(path, recursive);
        }
        return result;
      }
      case "touch" -> {
        for (String f : operands) {
          files.touch(Shell.absolute(shell.cwd, f), System.currentTimeMillis());
        }
        return 0;
      }
      case "test", "[" -> {
        List<String> expression = new ArrayList<>(args);
        if (name.equals("[")) {
          if (expression.isEmpty() || !expression.get(expression.size() - 1).equals("]")) {
            err.println("[: missing ]");
            return 2;
          }
          expression.remove(expression.size() - 1);
        }
        return test(expression) ? 0 : 1;
      }
      case "id" -> {
        long uid = container.uid();
        String user = uid == 0 ? "root" : "user" + uid;
        if (flags.indexOf("u") >= 0) {
          print.print(uid + "\n");
        } else if (flags.indexOf("g") >= 0) {
          print.print(uid + "\n");
        } else {
          print.print(
              "uid="
                  + uid
                  + "("
                  + user
                  + ") gid="
                  + uid
                  + "("
                  + user
                  + ") groups="
                  + uid
                  + "("
                  + user
                  + ")\n");
        }
        return 0;
      }
      case "whoami" -> {
        print.print((container.uid() == 0 ? "root" : "user" + container.uid()) + "\n");
        return 0;
      }
      case "hostname" -> {
        print.print(container.pod() + "\n");
        return 0;
      }
      case "pwd" -> {
        print.print(shell.cwd + "\n");
        return 0;
      }
      case "cd" -> {
        String target = Shell.absolute(shell.cwd, operands.isEmpty() ? "/root" : operands.get(0));
        if (!files.isDirectory(target)) {
          err.println("sh: cd: can't cd to " + (operands.isEmpty() ? "" : operands.get(0)));
          return 2;
        }
        shell.cwd = target;
        return 0;
      }
      case "env" -> {
        container.env().forEach((k, v) -> print.print(k + "=" + v + "\n"));
        return 0;
      }
      case "true" -> {
        return 0;
      }
      case "false" -> {
        return 1;
      }
      case "exit" -> {
        shell.exited = true;
        shell.status = operands.isEmpty() ? shell.status : Integer.parseInt(operands.get(0)) & 0xff;
        return shell.status;
      }
      case "chmod" -> {
        if (operands.size() < 2) {
          err.println("chmod: missing operand");
          return 1;
        }
        int mode;
        try {
          mode = Integer.parseInt(operands.get(0), 8);
        } catch (NumberFormatException e) {
          err.println("chmod: only octal modes are supported here: " + operands.get(0));
          return 1;
        }
        for (String f : operands.subList(1, operands.size())) {
          files.chmod(Shell.absolute(shell.cwd, f), mode);
        }
        return 0;
      }
      case "cp", "mv" -> {
        if (operands.size() != 2) {
          err.println(name + ": needs a source and a target here");
          return 1;
        }
        String from = Shell.absolute(shell.cwd, operands.get(0));
        String to = Shell.absolute(shell.cwd, operands.get(1));
        if (files.isDirectory(to)) {
          to = to + "/" + FakeFs.parts(from).get(FakeFs.parts(from).size() - 1);
        }
        copy(
            files,
            from,
            to,
            name.equals("mv")
                || flags.indexOf("r") >= 0
                || flags.indexOf("R") >= 0
                || flags.indexOf("a") >= 0,
            err,
            name);
        if (name.equals("mv")) {
          files.delete(from, true);
        }
        return 0;
      }
      case "tar" -> {
        return new TarCommand(files, shell.cwd).run(argv, in, out, err);
      }
      case "curl" -> {
        return new CurlCommand(shell.network).run(argv, in, out, err);
      }
      default -> throw new IllegalStateException(name);
    }
  }

  private static void copy(
      Mounts files, String from, String to, boolean recursive, PrintStream err, String name)
      throws IOException {
    FakeFs.Entry entry = files.stat(from);
    if (entry == null) {
      throw new java.nio.file.NoSuchFileException(from);
    }
    if (!entry.directory()) {
      files.write(to, files.read(from), false);
      return;
    }
    if (!recursive) {
      err.println(name + ": omitting directory '" + from + "'");
      return;
    }
    files.mkdir(to, true);
    for (String child : files.list(from)) {
      copy(files, from + "/" + child, to + "/" + child, true, err, name);
    }
  }

  private boolean test(List<String> e) throws IOException {
    if (e.isEmpty()) {
      return false;
    }
    if (e.get(0).equals("!")) {
      return !test(e.subList(1, e.size()));
    }
    if (e.size() == 1) {
      return !e.get(0).isEmpty();
    }
    if (e.size() == 2) {
      String path = Shell.absolute(shell.cwd, e.get(1));
      FakeFs.Entry entry = container.files.stat(path);
      return switch (e.get(0)) {
        case "-d" -> entry != null && entry.directory();
        case "-f" -> entry != null && !entry.directory();
        case "-e" -> entry != null;
        case "-s" -> entry != null && entry.size() > 0;
        case "-z" -> e.get(1).isEmpty();
        case "-n" -> !e.get(1).isEmpty();
        default -> false;
      };
    }
    if (e.size() == 3) {
      return switch (e.get(1)) {
        case "=", "==" -> e.get(0).equals(e.get(2));
        case "!=" -> !e.get(0).equals(e.get(2));
        default -> false;
      };
    }
    return false;
  }

  private static String permissions(int mode) {
    StringBuilder text = new StringBuilder();
    String letters = "rwxrwxrwx";
    for (int i = 0; i < 9; i++) {
      text.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
    }
    return text.toString();
  }
}
