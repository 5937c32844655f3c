package dev.devkube.examples;

import dev.devkube.DevkubeException;
import dev.devkube.Progress;
import dev.devkube.ProgressListener;
import dev.devkube.digitalocean.DigitalOcean;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the sample main classes share, so each of them reads as a walkthrough: options in the usual
 * {@code --name value} form, one-line errors with an exit code, the confirmation prompt, and
 * progress as a spinner on a terminal or plain lines otherwise. Not part of the SDK.
 */
final class Cli {
  /** Where a command reads and writes, and the environment it sees: the process's, or a test's. */
  record Io(
      PrintStream out,
      PrintStream err,
      BufferedReader in,
      Map<String, String> env,
      boolean terminal) {
    static Io system() {
      Charset charset = Charset.defaultCharset();
      return new Io(
          System.out,
          System.err,
          new BufferedReader(new InputStreamReader(System.in, charset)),
          System.getenv(),
          isTerminal(System.console()));
    }

    /** The DigitalOcean token from the usual variables, or null. */
    @Nullable String token() {
      for (String name : DigitalOcean.TOKEN_VARIABLES) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
          return value.strip();
        }
      }
      return null;
    }
  }

  /** The {@code --help} text of {@code command}, kept beside the class as {@code <command>.txt}. */
  static String usage(String command) {
    try (var in = Cli.class.getResourceAsStream(command + ".txt")) {
      if (in == null) {
        throw new IllegalStateException("no usage text for " + command);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A bad command line: said in one line, exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The user said no: nothing was done, exit code 1. */
  static final class NotConfirmed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotConfirmed(String message) {
      super(message);
    }
  }

  /** The body of a command, given its parsed options. */
  interface Command {
    void run(Options options, Io io) throws Exception;
  }

  private static final Path SSH = Path.of(System.getProperty("user.home"), ".ssh");

  private Cli() {}

  /**
   * Parses {@code args} against {@code defaults} (every valued option, with its default or null)
   * and {@code switches}, then runs {@code command}; {@code --help}, {@code --debug} and {@code
   * --yes} are always known. Returns the exit code: 0 done, 1 failed, 2 bad usage.
   */
  static int run(
      String usage,
      String[] args,
      Map<String, @Nullable String> defaults,
      Set<String> switches,
      Io io,
      Command command) {
    Options options;
    try {
      options = Options.parse(args, defaults, switches);
    } catch (UsageException e) {
      io.err().println("error: " + e.getMessage() + " (see --help)");
      return 2;
    }
    if (options.has("help")) {
      io.out().println(usage.strip());
      return 0;
    }
    boolean debug = options.has("debug");
    if (debug) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
    }
    try {
      command.run(options, io);
      return 0;
    } catch (UsageException e) {
      io.err().println("error: " + e.getMessage() + " (see --help)");
      return 2;
    } catch (NotConfirmed e) {
      io.err().println(e.getMessage());
      return 1;
    } catch (DevkubeException
        | IllegalArgumentException
        | IllegalStateException
        | IOException
        | UncheckedIOException e) {
      io.err().println("error: " + e.getMessage());
      if (debug) {
        e.printStackTrace(io.err());
      } else {
        io.err().println("(run with --debug for details)");
      }
      return 1;
    } catch (Exception e) {
      io.err().println("error: " + e);
      if (debug) {
        e.printStackTrace(io.err());
      }
      return 1;
    }
  }

  /**
   * Asks a yes/no question, unless {@code --yes} answered it; anything but y or yes (or no input)
   * is no, and ends the command: {@code nothing} says what was left alone.
   */
  /** Asks a yes/no question; {@code --yes} answers yes; anything but y or yes is no. */
  static boolean ask(Options options, Io io, String question) throws IOException {
    if (options.has("yes")) {
      return true;
    }
    io.out().print(question + " [y/N] ");
    io.out().flush();
    String answer = io.in().readLine();
    io.out().println();
    return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
  }

  static void confirm(Options options, Io io, String question, String nothing) throws IOException {
    if (options.has("yes")) {
      return;
    }
    io.out().print(question + " [y/N] ");
    io.out().flush();
    String answer = io.in().readLine();
    io.out().println();
    if (answer == null || !List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT))) {
      throw new NotConfirmed(nothing + ": not confirmed (--yes answers yes)");
    }
  }

  /** Progress as one rewritten line with a spinner on a terminal; a line per report otherwise. */
  static ProgressListener progress(Io io) {
    if (!io.terminal()) {
      return p -> io.out().println("  " + p);
    }
    char[] spinner = {'|', '/', '-', '\\'};
    int[] tick = {0};
    return (Progress p) -> {
      String line = spinner[tick[0]++ % spinner.length] + " " + p;
      io.out().print("\r" + line + " ".repeat(Math.max(0, 100 - line.length())));
      io.out().flush();
    };
  }

  /** Ends a spinner's line on a terminal. */
  static void endProgress(Io io) {
    if (io.terminal()) {
      io.out().println();
    }
  }

  /**
   * The first public key among ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub, or {@code
   * --ssh-key}.
   */
  static Path sshKey(Options options) {
    String given = options.get("ssh-key");
    if (given != null) {
      return Path.of(given);
    }
    return defaultKey()
        .orElseThrow(
            () ->
                new UsageException(
                    "no ssh public key in "
                        + SSH
                        + " (id_ed25519.pub, id_ecdsa.pub, id_rsa.pub): make one with ssh-keygen -t ed25519, or give --ssh-key FILE"));
  }

  /** The first of ~/.ssh/id_ed25519.pub, id_ecdsa.pub and id_rsa.pub that exists. */
  static Optional<Path> defaultKey() {
    return Stream.of("id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub")
        .map(SSH::resolve)
        .filter(Files::isRegularFile)
        .findFirst();
  }

  /** JDK 22 and later have a Console even when output is redirected; ask it, where it can say. */
  private static boolean isTerminal(@Nullable Console console) {
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22, a Console means a terminal
    }
  }

  /** Parsed {@code --name value}, {@code --name=value} and {@code --switch} options. */
  static final class Options {
    private final Map<String, @Nullable String> values;

    private Options(Map<String, @Nullable String> values) {
      this.values = values;
    }

    static Options parse(
        String[] args, Map<String, @Nullable String> defaults, Set<String> switches) {
      Set<String> known = new TreeSet<>(defaults.keySet());
      Set<String> flags = new TreeSet<>(switches);
      flags.addAll(List.of("help", "debug", "yes"));
      known.addAll(flags);
      Map<String, @Nullable String> values = new HashMap<>(defaults);
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (!arg.startsWith("--")) {
          throw new UsageException("unexpected argument \"" + arg + "\": options start with --");
        }
        String name = arg.substring(2);
        String value = null;
        int equals = name.indexOf('=');
        if (equals >= 0) {
          value = name.substring(equals + 1);
          name = name.substring(0, equals);
        }
        if (!known.contains(name)) {
          throw new UsageException(
              "unknown option --" + name + "; known: --" + String.join(", --", known));
        }
        if (flags.contains(name)) {
          if (value != null) {
            throw new UsageException("--" + name + " takes no value");
          }
          values.put(name, "true");
        } else {
          if (value == null) {
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
              throw new UsageException("--" + name + " needs a value");
            }
            value = args[++i];
          }
          values.put(name, value);
        }
      }
      return new Options(values);
    }

    /** These options with {@code flag} set as well. */
    /** These options with {@code name} set to {@code value}. */
    Options with(String name, String value) {
      Map<String, @Nullable String> more = new HashMap<>(values);
      more.put(name, value);
      return new Options(more);
    }

    Options with(String flag) {
      Map<String, @Nullable String> more = new HashMap<>(values);
      more.put(flag, "true");
      return new Options(more);
    }

    boolean has(String flag) {
      return "true".equals(values.get(flag));
    }

    @Nullable String get(String name) {
      return values.get(name);
    }

    String require(String name) {
      String value = values.get(name);
      if (value == null || value.isBlank()) {
        throw new UsageException("--" + name + " is required");
      }
      return value;
    }

    int number(String name, int min, int max) {
      String value = require(name);
      try {
        int number = Integer.parseInt(value);
        if (number >= min && number <= max) {
          return number;
        }
      } catch (NumberFormatException e) {
        // said below
      }
      throw new UsageException(
          "--" + name + " " + value + " is not a whole number in " + min + "-" + max);
    }
  }
}
