package dev.devkube.k8s;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a command run by {@link KubePod#exec} left: its exit code and its output. A non-zero exit is
 * a result, not an error.
 */
public final class ExecResult {
  private final List<String> command;
  private final int exitCode;
  private final byte[] stdout;
  private final byte[] stderr;

  ExecResult(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /** The command that ran, program first. */
  public List<String> command() {
    return command;
  }

  /** The command's exit code. */
  public int exitCode() {
    return exitCode;
  }

  /** Whether the exit code is 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Standard output as UTF-8 text. */
  public String stdout() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Standard error as UTF-8 text (empty with a terminal: it came on standard output). */
  public String stderr() {
    return new String(stderr, StandardCharsets.UTF_8);
  }

  /** Standard output as the bytes it wrote. */
  public byte[] stdoutBytes() {
    return stdout.clone();
  }

  /** Standard error as the bytes it wrote. */
  public byte[] stderrBytes() {
    return stderr.clone();
  }

  @Override
  public String toString() {
    return "ExecResult["
        + String.join(" ", command)
        + " -> exit "
        + exitCode
        + ", "
        + stdout.length
        + " bytes out, "
        + stderr.length
        + " bytes err]";
  }
}
