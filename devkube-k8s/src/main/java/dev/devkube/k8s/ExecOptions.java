package dev.devkube.k8s;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to run a command in a pod: which container (needed when the pod has several), whether with a
 * terminal, what to give it on standard input, and how long to wait for it. Immutable.
 *
 * <pre>{@code
 * ExecResult result = kube.pod("dev", "web-5d8").exec(
 *     ExecOptions.defaults().container("nginx").timeout(Duration.ofSeconds(10)),
 *     "nginx", "-t");
 * }</pre>
 */
public final class ExecOptions {
  private static final ExecOptions DEFAULTS =
      new ExecOptions(null, false, null, Duration.ofMinutes(1));

  private final @Nullable String container;
  private final boolean tty;
  private final byte @Nullable [] stdin;
  private final Duration timeout;

  private ExecOptions(
      @Nullable String container, boolean tty, byte @Nullable [] stdin, Duration timeout) {
    this.container = container;
    this.tty = tty;
    this.stdin = stdin;
    this.timeout = timeout;
  }

  /** The only container, no terminal, no input, one minute. */
  public static ExecOptions defaults() {
    return DEFAULTS;
  }

  /** Runs in the container {@code container} (default: the pod's only container). */
  public ExecOptions container(String container) {
    return new ExecOptions(
        dev.devkube.internal.Validation.requireDnsLabel("container name", container),
        tty,
        stdin,
        timeout);
  }

  /** With a terminal: standard error comes on standard output, as in a terminal. */
  public ExecOptions tty(boolean tty) {
    return new ExecOptions(container, tty, stdin, timeout);
  }

  /** Bytes for the command's standard input, which then ends. */
  public ExecOptions stdin(byte[] input) {
    return new ExecOptions(container, tty, Objects.requireNonNull(input, "input").clone(), timeout);
  }

  /** Text (UTF-8) for the command's standard input, which then ends. */
  public ExecOptions stdin(String input) {
    return stdin(input.getBytes(StandardCharsets.UTF_8));
  }

  /** How long {@link KubePod#exec} waits for the command to end (the streaming forms ignore it). */
  public ExecOptions timeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
    return new ExecOptions(container, tty, stdin, timeout);
  }

  /** The container to run in, or null for the pod's only container. */
  public @Nullable String container() {
    return container;
  }

  /** Whether the command gets a terminal. */
  public boolean tty() {
    return tty;
  }

  /** What the command reads on its standard input, or null for none. */
  public byte @Nullable [] stdin() {
    return stdin == null ? null : stdin.clone();
  }

  /** How long the command may run. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "ExecOptions[container="
        + container
        + ", tty="
        + tty
        + ", stdin="
        + (stdin == null ? "none" : stdin.length + " bytes")
        + ", timeout="
        + timeout
        + "]";
  }
}
