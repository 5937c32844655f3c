package dev.devkube.examples;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BiFunction;

/** What one run of a sample program printed, and its exit code. */
record Run(int code, String out, String err) {

  /**
   * Runs {@code main} (a program's {@code run(String[], Cli.Io)}) in this JVM with {@code env} as
   * its environment and {@code input} as what the user types; not a terminal.
   */
  static Run inProcess(
      BiFunction<String[], Cli.Io, Integer> main,
      Map<String, String> env,
      String input,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli.Io io =
        new Cli.Io(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new BufferedReader(new StringReader(input)),
            env,
            false);
    int code = main.apply(args, io);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
