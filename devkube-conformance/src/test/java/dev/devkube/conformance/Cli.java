package dev.devkube.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs a command-line client against a fake cluster: kubeconfig files, a private HOME, timeouts.
 */
final class Cli {
  /** What a command printed and how it ended. */
  record Result(int exit, String out) {
    @Override
    public String toString() {
      return "exit " + exit + ":\n" + out;
    }
  }

  private final Path home;

  Cli(Path home) {
    this.home = home;
  }

  /** Skips the calling test, saying why, when {@code command --version}-like probing fails. */
  static void assumeInstalled(String what, String... probe) {
    assumeTrue(
        works(probe),
        what
            + " is not installed here ("
            + String.join(" ", probe)
            + " failed); .ci/run installs it with apt-get");
  }

  /** Whether a command runs and exits 0 within a minute. */
  static boolean works(String... probe) {
    boolean installed;
    try {
      Process process = new ProcessBuilder(probe).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      installed = process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      installed = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      installed = false;
    }
    return installed;
  }

  /** Writes a kubeconfig readable only by its owner, as kubectl expects. */
  Path kubeconfig(String name, String text) throws IOException {
    Path file = home.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** Runs a command with KUBECONFIG set, waiting at most {@code timeout}. */
  Result run(Path kubeconfig, Duration timeout, String... command)
      throws IOException, InterruptedException {
    return runWithInput(kubeconfig, timeout, null, command);
  }

  /** Runs a command with {@code stdin} (null: none) as its standard input. */
  Result runWithInput(Path kubeconfig, Duration timeout, @Nullable String stdin, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true);
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("HOME", home.toString());
    Process process = builder.start();
    if (stdin != null) {
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    List<String> output = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try {
                output.add(
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                output.add("(output lost: " + e + ")");
              }
            });
    reader.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      reader.join(10_000);
      return new Result(-1, "(timed out after " + timeout + ") " + String.join("", output));
    }
    reader.join(10_000);
    return new Result(process.exitValue(), String.join("", output));
  }
}
