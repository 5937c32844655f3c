package dev.devkube.k8s;

import dev.devkube.DevkubeException;
import dev.devkube.TransportException;
import dev.devkube.WaitTimeoutException;
import dev.devkube.k8s.internal.ChannelSocket;
import dev.devkube.k8s.internal.Pipe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

/**
 * A command running in a pod, with its streams open: write its standard input, read its output,
 * wait for its exit code. Made by {@link KubePod#execStream} and {@link KubePod#attach}. Read
 * standard output and standard error both (or from two threads): each buffers 4 MiB, and a full one
 * holds the other back. Closing ends the session; the command ends when its input does, as the
 * container's runtime decides.
 *
 * <pre>{@code
 * try (ExecSession sh = kube.pod("dev", "toolbox-0").execStream(ExecOptions.defaults(), "sh")) {
 *   sh.stdin().write("ls /mnt/nfs\nexit 3\n".getBytes(UTF_8));
 *   sh.stdin().close();
 *   String listing = new String(sh.stdout().readAllBytes(), UTF_8);
 *   int exit = sh.waitFor(Duration.ofSeconds(10)); // 3
 * }
 * }</pre>
 */
public final class ExecSession implements AutoCloseable {
  private final ChannelSocket socket;
  private final String what;
  private final InputStream stdout;
  private final InputStream stderr;
  private final OutputStream stdin;

  ExecSession(ChannelSocket socket, String what, Pipe stdout, Pipe stderr, boolean withStdin) {
    this.socket = socket;
    this.what = what;
    this.stdout = stdout.source;
    this.stderr = stderr.source;
    this.stdin = withStdin ? new Stdin(socket) : OutputStream.nullOutputStream();
  }

  static List<Integer> channels() {
    return List.of(1, 2);
  }

  /** The command's standard input; close it to end the input (v5 servers pass that on). */
  public OutputStream stdin() {
    return stdin;
  }

  /** What the process writes to its standard output. */
  public InputStream stdout() {
    return stdout;
  }

  /** Standard error; empty with a terminal. */
  public InputStream stderr() {
    return stderr;
  }

  /** Tells the terminal its new size (with {@link ExecOptions#tty(boolean)}). */
  public void resize(int columns, int rows) {
    if (columns <= 0 || rows <= 0) {
      throw new IllegalArgumentException(
          "columns and rows must be positive, were " + columns + "x" + rows);
    }
    byte[] size =
        ("{\"Width\":" + columns + ",\"Height\":" + rows + "}").getBytes(StandardCharsets.UTF_8);
    try {
      socket.send(4, size, 0, size.length);
    } catch (IOException e) {
      throw new TransportException("could not resize the terminal of " + what + ": " + e, e);
    }
  }

  /**
   * Waits for the command to end and returns its exit code.
   *
   * @throws WaitTimeoutException when it runs longer than {@code timeout} (it keeps running)
   * @throws dev.devkube.ApiException when it could not start (for example, no such program)
   * @throws TransportException when the connection was cut before the exit code came
   */
  public int waitFor(Duration timeout) {
    try {
      if (!socket.await(timeout)) {
        throw new WaitTimeoutException(what + " to end", timeout, "still running");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevkubeException("interrupted while waiting for " + what, e);
    }
    Integer exit = socket.exitCode();
    if (exit != null) {
      return exit;
    }
    DevkubeException failure = socket.failure();
    throw failure != null
        ? failure
        : new TransportException(what + " ended without an exit status", null);
  }

  /** The exit code once the command has ended; empty while it runs or when none came. */
  public OptionalInt exitCode() {
    if (!socket.ended()) {
      return OptionalInt.empty();
    }
    Integer exit = socket.exitCode();
    return exit == null ? OptionalInt.empty() : OptionalInt.of(exit);
  }

  /** Drops the connection at once, without waiting for the server's close. */
  void cancel() {
    socket.cancel();
  }

  /** Ends the session: the connection closes, and with it the command's streams. */
  @Override
  public void close() {
    socket.close();
  }

  @Override
  public String toString() {
    return "ExecSession[" + what + "]";
  }

  private static final class Stdin extends OutputStream {
    private final ChannelSocket socket;
    private boolean closed;

    Stdin(ChannelSocket socket) {
      this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (closed) {
        throw new IOException("standard input is closed");
      }
      for (int start = off; start < off + len; start += 32 * 1024) {
        socket.send(0, b, start, Math.min(32 * 1024, off + len - start));
      }
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        socket.closeChannel(0);
      }
    }
  }
}
