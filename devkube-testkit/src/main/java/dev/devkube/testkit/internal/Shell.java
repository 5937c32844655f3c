package dev.devkube.testkit.internal;

import dev.devkube.testkit.FakeCommand;
import dev.devkube.testkit.FakeContainer;
import dev.devkube.testkit.FakeProcess;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fake's programs: a small POSIX-like {@code sh} ({@code -c} scripts and line-by-line input;
 * quotes, {@code $VAR}, {@code $?}, {@code ;} {@code &&} {@code ||} {@code |}, redirections {@code
 * > >> < 2> 2>&1}) over the built-ins {@code echo printf cat ls mkdir rm rmdir touch test [ id
 * whoami hostname pwd cd env true false exit chmod cp mv tar}, plus the commands tests add. Files
 * are the container's {@link Mounts}. A program it does not know fails as a container runtime fails
 * it: exec answers "executable file not found", the shell exits 127.
 */
final class Shell {
  private final ContainerContext container;
  private final Map<String, FakeCommand> commands;
  String cwd = "/";
  int status;
  boolean exited;

  final CurlCommand.Connector network;

  Shell(
      ContainerContext container,
      Map<String, FakeCommand> commands,
      CurlCommand.Connector network) {
    this.container = container;
    this.commands = commands;
    this.network = network;
  }

  /** Thrown for an exec of a program the fake does not have. */
  static final class NotFound extends Exception {
    private static final long serialVersionUID = 1L;

    NotFound(String program) {
      super(program);
    }
  }

  static String absolute(String cwd, String path) {
    String joined = path.startsWith("/") ? path : cwd + "/" + path;
    return "/" + String.join("/", FakeFs.parts(joined));
  }

  private static String program(String arg) {
    return arg.substring(arg.lastIndexOf('/') + 1);
  }

  boolean knows(String program) {
    return commands.containsKey(program(program)) || BUILTINS.contains(program(program));
  }

  private static final List<String> SHELLS = List.of("sh", "bash", "ash", "dash");
  private static final List<String> BUILTINS =
      List.of(
          "sh",
          "bash",
          "ash",
          "dash",
          "echo",
          "printf",
          "cat",
          "ls",
          "mkdir",
          "rm",
          "rmdir",
          "touch",
          "test",
          "[",
          "id",
          "whoami",
          "hostname",
          "pwd",
          "cd",
          "env",
          "true",
          "false",
          "exit",
          "chmod",
          "cp",
          "mv",
          "tar",
          "curl");

  /** Runs an exec's command line. */
  int exec(List<String> argv, InputStream in, OutputStream out, OutputStream err)
      throws IOException, NotFound {
    if (argv.isEmpty() || !knows(argv.get(0))) {
      throw new NotFound(argv.isEmpty() ? "" : argv.get(0));
    }
    return run(argv, in, out, err);
  }

  private int run(List<String> argv, InputStream in, OutputStream out, OutputStream err)
      throws IOException {
    String name = program(argv.get(0));
    FakeCommand added = commands.get(name);
    PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
    if (added != null) {
      try {
        return added.run(new Invocation(argv, in, out, err, container));
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    if (SHELLS.contains(name)) {
      return shell(argv, in, out, err);
    }
    try {
      return new Builtins(this, container).run(name, argv, in, out, errors);
    } catch (IOException e) {
      errors.println(name + ": " + message(e));
      return 1;
    }
  }

  private int shell(List<String> argv, InputStream in, OutputStream out, OutputStream err)
      throws IOException {
    int c = argv.indexOf("-c");
    if (c >= 0) {
      if (c + 1 >= argv.size()) {
        new PrintStream(err, true, StandardCharsets.UTF_8)
            .println(program(argv.get(0)) + ": -c: option requires an argument");
        return 2;
      }
      return script(argv.get(c + 1), in, out, err);
    }
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    while (!exited && (line = lines.readLine()) != null) {
      script(line, InputStream.nullInputStream(), out, err);
      out.flush();
    }
    return status;
  }

  /** Runs a script: pipelines joined by {@code ;}, {@code &&} and {@code ||}. */
  int script(String text, InputStream in, OutputStream out, OutputStream err) throws IOException {
    List<Token> tokens;
    try {
      tokens = tokenize(text);
    } catch (IllegalArgumentException e) {
      new PrintStream(err, true, StandardCharsets.UTF_8)
          .println("sh: syntax error: " + e.getMessage());
      status = 2;
      return status;
    }
    List<Token> pipeline = new ArrayList<>();
    String joiner = ";";
    for (int i = 0; i <= tokens.size() && !exited; i++) {
      Token token = i < tokens.size() ? tokens.get(i) : new Token(";", true);
      if (token.operator() && List.of(";", "&&", "||", "\n").contains(token.text())) {
        boolean run = joiner.equals(";") || (joiner.equals("&&") ? status == 0 : status != 0);
        if (run && !pipeline.isEmpty()) {
          status = pipeline(pipeline, in, out, err);
        }
        pipeline = new ArrayList<>();
        joiner = token.text().equals("\n") ? ";" : token.text();
      } else {
        pipeline.add(token);
      }
    }
    return status;
  }

  private int pipeline(List<Token> tokens, InputStream in, OutputStream out, OutputStream err)
      throws IOException {
    List<List<Token>> stages = new ArrayList<>();
    stages.add(new ArrayList<>());
    for (Token token : tokens) {
      if (token.operator() && token.text().equals("|")) {
        stages.add(new ArrayList<>());
      } else {
        stages.get(stages.size() - 1).add(token);
      }
    }
    InputStream input = in;
    int result = 0;
    for (int i = 0; i < stages.size(); i++) {
      boolean last = i == stages.size() - 1;
      ByteArrayOutputStream buffer = last ? null : new ByteArrayOutputStream();
      result = simple(stages.get(i), input, buffer != null ? buffer : out, err);
      if (buffer != null) {
        input = new ByteArrayInputStream(buffer.toByteArray());
      }
    }
    return result;
  }

  private int simple(List<Token> tokens, InputStream in, OutputStream out, OutputStream err)
      throws IOException {
    List<String> words = new ArrayList<>();
    OutputStream stdout = out;
    OutputStream stderr = err;
    InputStream stdin = in;
    List<OutputStream> opened = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token token = tokens.get(i);
      if (!token.operator()) {
        words.add(token.text());
        continue;
      }
      String op = token.text();
      if (op.equals("2>&1")) {
        stderr = stdout;
        continue;
      }
      if (i + 1 >= tokens.size() || tokens.get(i + 1).operator()) {
        new PrintStream(err, true, StandardCharsets.UTF_8)
            .println("sh: syntax error: nothing after " + op);
        return 2;
      }
      String path = absolute(cwd, tokens.get(++i).text());
      try {
        switch (op) {
          case "<" -> stdin = new ByteArrayInputStream(container.files.read(path));
          case ">", ">>", "2>" -> {
            if (!path.equals("/dev/null")) {
              container.files.write(path, new byte[0], !op.equals(">") && !op.equals("2>"));
            }
            OutputStream file =
                path.equals("/dev/null")
                    ? OutputStream.nullOutputStream()
                    : new FileOut(container.files, path);
            opened.add(file);
            if (op.equals("2>")) {
              stderr = file;
            } else {
              stdout = file;
            }
          }
          default -> throw new IllegalStateException(op);
        }
      } catch (IOException e) {
        new PrintStream(err, true, StandardCharsets.UTF_8)
            .println("sh: can't open " + tokens.get(i).text() + ": " + message(e));
        return 1;
      }
    }
    if (words.isEmpty()) {
      return 0;
    }
    int result;
    if (!knows(words.get(0))) {
      new PrintStream(stderr, true, StandardCharsets.UTF_8)
          .println("sh: " + words.get(0) + ": not found");
      result = 127;
    } else {
      result = run(words, stdin, stdout, stderr);
    }
    for (OutputStream file : opened) {
      file.close();
    }
    return result;
  }

  /** A redirection's file, written through on every write. */
  private static final class FileOut extends OutputStream {
    private final Mounts files;
    private final String path;

    FileOut(Mounts files, String path) {
      this.files = files;
      this.path = path;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      byte[] part = new byte[len];
      System.arraycopy(b, off, part, 0, len);
      files.write(path, part, true);
    }
  }

  record Token(String text, boolean operator) {}

  /** Words (quotes removed, variables expanded) and operators. */
  List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated quoted string");
        }
        word.append(text, i + 1, end);
        inWord = true;
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (i < text.length() && text.charAt(i) != '"') {
          char d = text.charAt(i);
          if (d == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
            word.append(text.charAt(i + 1));
            i += 2;
          } else if (d == '$') {
            i = variable(text, i, word);
          } else {
            word.append(d);
            i++;
          }
        }
        if (i >= text.length()) {
          throw new IllegalArgumentException("unterminated quoted string");
        }
        inWord = true;
        i++;
      } else if (c == '\\' && i + 1 < text.length()) {
        word.append(text.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (c == '$') {
        i = variable(text, i, word);
        inWord = true;
      } else if (c == ' ' || c == '\t') {
        if (inWord) {
          tokens.add(new Token(word.toString(), false));
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '#' && !inWord) {
        int end = text.indexOf('\n', i);
        i = end < 0 ? text.length() : end;
      } else {
        String op = operator(text, i);
        if (op == null) {
          word.append(c);
          inWord = true;
          i++;
          continue;
        }
        if (inWord) {
          tokens.add(new Token(word.toString(), false));
          word.setLength(0);
          inWord = false;
        }
        tokens.add(new Token(op, true));
        i += op.length();
      }
    }
    if (inWord) {
      tokens.add(new Token(word.toString(), false));
    }
    return tokens;
  }

  private static @Nullable String operator(String text, int i) {
    for (String op : List.of("2>&1", "&&", "||", ">>", "2>", ";", "|", ">", "<", "\n")) {
      if (text.startsWith(op, i)) {
        if (op.startsWith("2") && i > 0 && !Character.isWhitespace(text.charAt(i - 1))) {
          continue;
        }
        return op;
      }
    }
    return null;
  }

  private int variable(String text, int i, StringBuilder word) {
    int start = i + 1;
    if (start < text.length() && text.charAt(start) == '?') {
      word.append(status);
      return start + 1;
    }
    boolean braced = start < text.length() && text.charAt(start) == '{';
    int end = braced ? text.indexOf('}', start) : start;
    if (braced) {
      if (end < 0) {
        throw new IllegalArgumentException("bad substitution");
      }
      word.append(container.env().getOrDefault(text.substring(start + 1, end), ""));
      return end + 1;
    }
    while (end < text.length()
        && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
      end++;
    }
    if (end == start) {
      word.append('$');
      return start;
    }
    word.append(container.env().getOrDefault(text.substring(start, end), ""));
    return end;
  }

  static String message(IOException e) {
    String type = e.getClass().getSimpleName();
    return switch (type) {
      case "NoSuchFileException" -> "No such file or directory";
      case "FileAlreadyExistsException" -> "File exists";
      case "NotDirectoryException" -> "Not a directory";
      case "DirectoryNotEmptyException" -> "Directory not empty";
      case "AccessDeniedException" -> "Read-only file system";
      default -> String.valueOf(e.getMessage());
    };
  }

  private record Invocation(
      List<String> args,
      InputStream stdin,
      OutputStream stdout,
      OutputStream stderr,
      FakeContainer container)
      implements FakeProcess {}
}
