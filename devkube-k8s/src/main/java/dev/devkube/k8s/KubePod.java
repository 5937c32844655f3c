package dev.devkube.k8s;

import dev.devkube.TransportException;
import dev.devkube.WaitTimeoutException;
import dev.devkube.internal.Validation;
import dev.devkube.k8s.internal.ChannelSocket;
import dev.devkube.k8s.internal.Pipe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * One pod, for what only pods have: logs, exec, attach, port-forward and file copy, all through the
 * API server with the cluster's own authentication. Made by {@link KubeClient#pod}.
 *
 * <pre>{@code
 * KubePod web = kube.pod("dev", "web-5d8");
 * String log = web.logs();
 * ExecResult ls = web.exec("ls", "/usr/share/nginx/html");
 * web.copyTo(Path.of("site"), "/tmp/site");
 * try (PortForward http = web.portForward(80)) {
 *   // http.url() is http://127.0.0.1:<port>
 * }
 * }</pre>
 */
public final class KubePod {
  private final KubeClient client;
  private final String namespace;
  private final String name;

  KubePod(KubeClient client, String namespace, String name) {
    this.client = client;
    this.namespace = Validation.requireDnsLabel("namespace", namespace);
    this.name = Validation.requireDnsSubdomain("Pod name", name);
  }

  /** The whole log of the pod's only container. */
  public String logs() {
    return logs(LogOptions.all());
  }

  /** The log as {@code options} select it. */
  public String logs(LogOptions options) {
    return client
        .http()
        .sendText(
            "GET",
            client.http().url(path(), options.query(false)),
            "read the log of pod " + namespace + "/" + name);
  }

  /** The log as it is written, until closed or the container stops. */
  public LogStream followLogs(LogOptions options) {
    Call call = client.http().streamCall(client.http().url(path(), options.query(true)));
    return new LogStream(
        call, client.http().execute(call, "follow the log of pod " + namespace + "/" + name));
  }

  private String path() {
    return client.resolve("v1", "Pod").itemPath(namespace, name) + "/log";
  }

  private String itemPath() {
    return client.resolve("v1", "Pod").itemPath(namespace, name);
  }

  /**
   * Runs a command in the pod's only container and waits (one minute) for its end.
   *
   * @return the exit code and output; a non-zero exit is a result, not an error
   * @throws dev.devkube.ApiException when the server refuses (403 without {@code create} on {@code
   *     pods/exec}, 400 for a pod with several containers or one not running), or the program does
   *     not exist in the container
   * @throws dev.devkube.WaitTimeoutException when the command runs longer than the timeout
   */
  public ExecResult exec(String... command) {
    return exec(ExecOptions.defaults(), command);
  }

  /** Runs a command as {@code options} say and waits for its end. */
  public ExecResult exec(ExecOptions options, String... command) {
    List<String> argv = command(command);
    Pipe out = new Pipe(16 * 1024 * 1024);
    Pipe err = new Pipe(16 * 1024 * 1024);
    byte[] stdin = options.stdin();
    ExecSession session = open("exec", options, argv, stdin != null, out, err);
    try (session) {
      Collector stdout = new Collector(out);
      Collector stderr = new Collector(err);
      if (stdin != null) {
        try (OutputStream in = session.stdin()) {
          in.write(stdin);
        } catch (IOException e) {
          throw new TransportException(
              "could not send the input of " + describe(argv) + ": " + e, e);
        }
      }
      int exit;
      try {
        exit = session.waitFor(options.timeout());
      } catch (WaitTimeoutException e) {
        session.cancel(); // the connection goes; the command may go on in the container
        throw e;
      }
      return new ExecResult(argv, exit, stdout.bytes(), stderr.bytes());
    }
  }

  /**
   * Starts a command with its streams open (see {@link ExecSession}); {@code options}' input and
   * timeout are not used: write to {@link ExecSession#stdin()} and wait with {@link
   * ExecSession#waitFor}.
   */
  public ExecSession execStream(ExecOptions options, String... command) {
    return open(
        "exec",
        options,
        command(command),
        true,
        new Pipe(4 * 1024 * 1024),
        new Pipe(4 * 1024 * 1024));
  }

  /** Attaches to the streams of the container's running main process. */
  public ExecSession attach(ExecOptions options) {
    return open(
        "attach", options, List.of(), true, new Pipe(4 * 1024 * 1024), new Pipe(4 * 1024 * 1024));
  }

  private static List<String> command(String... command) {
    if (command.length == 0) {
      throw new IllegalArgumentException("a command needs at least the program to run");
    }
    for (String part : command) {
      Objects.requireNonNull(part, "a command's parts must not be null");
    }
    return List.of(command);
  }

  private String describe(List<String> argv) {
    return (argv.isEmpty() ? "attach" : "\"" + String.join(" ", argv) + "\"")
        + " in pod "
        + namespace
        + "/"
        + name;
  }

  private ExecSession open(
      String verb, ExecOptions options, List<String> argv, boolean stdin, Pipe out, Pipe err) {
    List<String> query = new ArrayList<>();
    for (String part : argv) {
      query.add("command");
      query.add(part);
    }
    query.addAll(
        List.of(
            "stdin",
            String.valueOf(stdin),
            "stdout",
            "true",
            "stderr",
            String.valueOf(!options.tty()),
            "tty",
            String.valueOf(options.tty())));
    if (options.container() != null) {
      query.add("container");
      query.add(options.container());
    }
    Map<Integer, OutputStream> sinks = new HashMap<>();
    sinks.put(1, out.sink);
    sinks.put(2, err.sink);
    String what = describe(argv);
    ChannelSocket socket =
        ChannelSocket.open(
            client.http().webSocketClient(),
            client.http().url(itemPath() + "/" + verb, query.toArray(new String[0])),
            ChannelSocket.EXEC_PROTOCOLS,
            sinks,
            List.of(),
            Duration.ofSeconds(30),
            (verb.equals("exec") ? "run " : "attach to ") + what);
    return new ExecSession(socket, what, out, err, stdin);
  }

  /** Reads a pipe to its end on its own thread. */
  private static final class Collector {
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private final Thread thread;

    Collector(Pipe pipe) {
      this.thread =
          new Thread(
              () -> {
                try {
                  pipe.source.transferTo(bytes);
                } catch (IOException ignored) {
                  // the pipe closed
                }
              },
              "devkube-exec-output");
      thread.setDaemon(true);
      thread.start();
    }

    byte[] bytes() {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (bytes) {
        return bytes.toByteArray();
      }
    }
  }

  /**
   * Forwards an ephemeral local port (on loopback only) to {@code podPort}, until closed.
   *
   * @throws IllegalStateException when the pod is not there or not running
   */
  public PortForward portForward(int podPort) {
    return portForward(podPort, 0);
  }

  /** Forwards {@code localPort} (0: any free one) on loopback to {@code podPort}. */
  public PortForward portForward(int podPort, int localPort) {
    if (podPort < 1 || podPort > 65535) {
      throw new IllegalArgumentException("podPort must be 1 to 65535, was " + podPort);
    }
    if (localPort < 0 || localPort > 65535) {
      throw new IllegalArgumentException("localPort must be 0 (any) to 65535, was " + localPort);
    }
    String phase =
        client
            .resource(KubeObject.of("v1", "Pod", name).namespace(namespace))
            .get()
            .map(pod -> pod.getString("status.phase"))
            .orElse("not there");
    if (!"Running".equals(phase)) {
      throw new IllegalStateException(
          "pod "
              + namespace
              + "/"
              + name
              + " is "
              + phase
              + ", not Running: nothing to forward to");
    }
    try {
      return new PortForward(
          client.http().webSocketClient(),
          () -> client.http().url(itemPath() + "/portforward", "ports", String.valueOf(podPort)),
          "pod " + namespace + "/" + name,
          podPort,
          localPort);
    } catch (IOException e) {
      throw new TransportException(
          "could not listen on 127.0.0.1:" + localPort + " to forward to " + name + ": " + e, e);
    }
  }

  /** Copies a local file or folder into the pod, as {@code kubectl cp} does (tar over exec). */
  public void copyTo(Path local, String podPath) {
    copyTo(local, podPath, CopyListener.none());
  }

  /**
   * Copies a local file or folder to {@code podPath} (absolute); into it when it is a folder in the
   * pod, else as it. Needs {@code tar} in the container.
   */
  public void copyTo(Path local, String podPath, CopyListener listener) {
    Copies.copyTo(this, local, podPath, listener);
  }

  /** Copies a file or folder of the pod to a local path, as {@code kubectl cp} does. */
  public void copyFrom(String podPath, Path local) {
    copyFrom(podPath, local, CopyListener.none());
  }

  /**
   * Copies {@code podPath} (absolute) from the pod to {@code local}: into it when it is a local
   * folder, else as it. An archive entry that would land outside {@code local} is refused.
   */
  public void copyFrom(String podPath, Path local, CopyListener listener) {
    Copies.copyFrom(this, podPath, local, listener);
  }

  String namespace() {
    return namespace;
  }

  String name() {
    return name;
  }

  @Override
  public String toString() {
    return "KubePod[" + namespace + "/" + name + "]";
  }
}
