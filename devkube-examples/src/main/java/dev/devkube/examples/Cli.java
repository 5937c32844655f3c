package dev.devkube.examples;

import dev.devkube.DevkubeException;
import dev.devkube.digitalocean.DigitalOcean;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What the sample main classes share, so each of them reads as a walkthrough: picocli parses the
 * options ({@link CliOptions}); errors are one line with an exit code, in command-line terms; the
 * confirmation prompt; progress that ticks on a terminal and is plain lines otherwise. Not part of
 * the SDK.
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

  private static final Path SSH = Path.of(System.getProperty("user.home"), ".ssh");

  /**
   * What the SDK's messages tell a Java caller to call, and what a user of these programs gives
   * instead: the same advice in command-line terms.
   */
  private static final Map<Pattern, String> CLI_TERMS =
      Map.of(
          Pattern.compile(
              "(?:NfsServer|Postgres|Redis)\\.create\\(\\)\\.storageClass\\(\\.\\.\\.\\), or null for the default class"),
          "--storage-class NAME, or --storage-class default for the cluster's default class",
          Pattern.compile("call autoNodePorts\\(\\)"),
          "give --auto-node-ports",
          Pattern.compile("use region\\(\"([^\"]*)\"\\)"),
          "use --region $1",
          Pattern.compile("use version\\(\"([^\"]*)\"\\)"),
          "use --version $1",
          Pattern.compile("call sshKey\\(Path\\) or sshKeys\\(String\\)"),
          "give --ssh-key FILE");

  private Cli() {}

  /**
   * Parses {@code args} into {@code command} (a picocli {@code @Command} whose options are
   * {@code @Mixin} groups of {@link CliOptions}), then runs it. Returns the exit code: 0 done, 1
   * failed or declined, 2 bad usage. Every error is one line on {@code io.err()}; {@code --debug}
   * adds request logs and the stack trace.
   */
  static int execute(Callable<Integer> command, String[] args, Io io) {
    CommandLine line = new CommandLine(command);
    line.setOut(writer(io.out()));
    line.setErr(writer(io.err()));
    line.setAbbreviatedOptionsAllowed(false);
    line.setUsageHelpWidth(100);
    line.setParameterExceptionHandler(
        (ParameterException e, String[] unused) -> {
          String message = e.getMessage();
          if (e instanceof UnmatchedArgumentException unmatched
              && !unmatched.getSuggestions().isEmpty()) {
            message += "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
          }
          io.err().println("error: " + message + " (see --help)");
          return 2;
        });
    line.setExecutionStrategy(
        parsed -> {
          if (parsed.hasMatchedOption("--debug")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    line.setExecutionExceptionHandler(
        (Exception e, CommandLine unused, ParseResult parsed) -> {
          boolean debug = parsed.hasMatchedOption("--debug");
          if (e instanceof UsageException) {
            io.err().println("error: " + inCliTerms(e.getMessage()) + " (see --help)");
            return 2;
          }
          if (e instanceof NotConfirmed) {
            io.err().println(e.getMessage());
            return 1;
          }
          boolean expected =
              e instanceof DevkubeException
                  || e instanceof IllegalArgumentException
                  || e instanceof IllegalStateException
                  || e instanceof IOException
                  || e instanceof UncheckedIOException;
          String message = expected ? e.getMessage() : e.toString();
          io.err()
              .println("error: " + inCliTerms(message) + (debug ? "" : " (--debug shows details)"));
          if (debug) {
            e.printStackTrace(io.err());
          }
          return 1;
        });
    return line.execute(args);
  }

  /** Text written to {@code stream} as it is, in the stream's own encoding. */
  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(
        new Writer() {
          @Override
          public void write(char[] chars, int offset, int length) {
            stream.print(new String(chars, offset, length));
          }

          @Override
          public void flush() {
            stream.flush();
          }

          @Override
          public void close() {
            stream.flush();
          }
        },
        true);
  }

  /** {@code message} with the SDK's advice to Java callers said in command-line terms. */
  static String inCliTerms(@Nullable String message) {
    String result = String.valueOf(message);
    for (Map.Entry<Pattern, String> term : CLI_TERMS.entrySet()) {
      result = term.getKey().matcher(result).replaceAll(term.getValue());
    }
    return result;
  }

  /** Asks a yes/no question; {@code --yes} answers yes; anything but y or yes is no. */
  static boolean ask(CliOptions.Common common, Io io, String question) {
    if (common.yes) {
      return true;
    }
    io.out().print(question + " [y/N] ");
    io.out().flush();
    String answer;
    try {
      answer = io.in().readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    io.out().println();
    return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
  }

  /**
   * Asks a yes/no question, unless {@code --yes} answered it; anything but y or yes (or no input)
   * is no, and ends the command: {@code nothing} says what was left alone.
   */
  static void confirm(CliOptions.Common common, Io io, String question, String nothing) {
    if (!ask(common, io, question)) {
      throw new NotConfirmed(nothing + ": not confirmed (--yes answers yes)");
    }
  }

  /**
   * Progress for {@code io}: a line that ticks with the real elapsed time on a terminal, plain
   * lines otherwise. Close it when the wait ends.
   */
  static ProgressDisplay progress(Io io) {
    return ProgressDisplay.start(io.out(), io.terminal());
  }

  /**
   * The first public key among ~/.ssh/id_ed25519.pub, id_ecdsa.pub, id_rsa.pub, or {@code
   * --ssh-key}.
   */
  static Path sshKey(CliOptions.Environment environment) {
    if (environment.sshKey != null) {
      return environment.sshKey;
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
}
