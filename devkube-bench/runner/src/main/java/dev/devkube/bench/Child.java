package dev.devkube.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One client JVM: its RESULT lines are collected; stderr goes to a log file. */
final class Child {
  private final Process process;
  private final BufferedReader out;
  private final Map<String, Double> results = new LinkedHashMap<>();
  private final Path errors;

  private Child(Process process, Path errors) {
    this.process = process;
    this.errors = errors;
    this.out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static Child start(Runner.App app, Path work, String... args) throws IOException {
    return start(app, work, List.of(), app.jarPath(), args);
  }

  /** A client JVM with extra JVM options and the given class path. */
  static Child start(
      Runner.App app, Path work, List<String> jvmOptions, String classpath, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(app.mainClass());
    command.addAll(List.of(args));
    Path errors = work.resolve(app.module() + "-" + args[0] + ".log");
    return new Child(new ProcessBuilder(command).redirectError(errors.toFile()).start(), errors);
  }

  void awaitLine(String expected, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String line; (line = out.readLine()) != null; ) {
      if (line.equals(expected)) {
        return;
      }
      record(line);
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "no \""
            + expected
            + "\" from "
            + process.info().commandLine().orElse("?")
            + ": see "
            + errors
            + "\n"
            + Files.readString(errors));
  }

  Map<String, Double> finish(Duration timeout) throws Exception {
    for (String line; (line = out.readLine()) != null; ) {
      record(line);
    }
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "a client run failed (exit "
              + (process.isAlive() ? "-" : process.exitValue())
              + "): "
              + Files.readString(errors));
    }
    return results;
  }

  private void record(String line) {
    if (line.startsWith("RESULT ")) {
      String[] parts = line.split(" ", -1);
      results.put(parts[1], Double.parseDouble(parts[2]));
    }
  }
}
