package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.devkube.testkit.FakeCommand;
import dev.devkube.testkit.FakePortHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward} as the API server and the
 * kubelet serve them over WebSocket: the channel protocols {@code v5.channel.k8s.io} (with its
 * close signal) down to {@code channel.k8s.io} for exec and attach, one byte of channel before each
 * message, the exit status as a {@code Status} on channel 3; {@code v4.channel.k8s.io} for
 * port-forward, a data and an error channel per port, each opened by the port number in two
 * little-endian bytes. Commands run in {@link Shell}; ports are answered by {@link Ports}.
 */
public final class PodStreams {
  private static final List<String> EXEC_PROTOCOLS =
      List.of(
          "v5.channel.k8s.io",
          "v4.channel.k8s.io",
          "v3.channel.k8s.io",
          "v2.channel.k8s.io",
          "channel.k8s.io");
  private static final List<String> PORT_FORWARD_PROTOCOLS = List.of("v4.channel.k8s.io");

  private final Store store;
  private final Kinds kinds;
  private final Volumes volumes;
  private final Map<String, FakeCommand> commands = new ConcurrentHashMap<>();
  private final Map<Integer, FakePortHandler> ports = new ConcurrentHashMap<>();
  private final Map<String, String> logs;

  public PodStreams(Store store, Kinds kinds, Volumes volumes, Map<String, String> logs) {
    this.store = store;
    this.kinds = kinds;
    this.volumes = volumes;
    this.logs = logs;
  }

  public void onExec(String program, FakeCommand command) {
    commands.put(program, command);
  }

  public void onPort(int port, FakePortHandler handler) {
    ports.put(port, handler);
  }

  /** A pod's container (null: the first), as exec would see it. */
  public dev.devkube.testkit.FakeContainer container(
      Map<String, @Nullable Object> pod, @Nullable String name) throws IOException {
    for (Object c : Doc.list(pod, "spec.containers")) {
      if (name == null || name.equals(Doc.string(c, "name"))) {
        return new ContainerContext(store, kinds, volumes, pod, Doc.copyObject(c));
      }
    }
    throw new IllegalArgumentException(
        "pod " + Doc.string(pod, "metadata.name") + " has no container " + name);
  }

  private static boolean flag(Map<String, List<String>> query, String name) {
    List<String> values = query.get(name);
    return values != null && List.of("true", "1", "True").contains(values.get(0));
  }

  void serve(HttpExchange exchange, String method, Map<String, @Nullable Object> pod, String sub)
      throws IOException {
    if (!method.equals("GET") && !method.equals("POST")) {
      throw Status.methodNotAllowed(method + " is not allowed on pods/" + sub);
    }
    String name = Objects.requireNonNullElse(Doc.string(pod, "metadata.name"), "");
    Map<String, List<String>> query = Http.queryAll(exchange);
    if (sub.equals("portforward")) {
      requireWebSocket(exchange);
      portForward(exchange, pod, name, query);
      return;
    }
    List<String> command = query.getOrDefault("command", List.of());
    if (sub.equals("exec") && command.isEmpty()) {
      throw Status.badRequest("you must specify at least 1 command");
    }
    if (!flag(query, "stdin") && !flag(query, "stdout") && !flag(query, "stderr")) {
      throw Status.badRequest("you must specify at least one of stdin, stdout, stderr");
    }
    Map<String, @Nullable Object> container = container(pod, name, query);
    requireWebSocket(exchange);
    String protocol = negotiate(exchange, EXEC_PROTOCOLS);
    ContainerContext context = new ContainerContext(store, kinds, volumes, pod, container);
    Shell shell =
        new Shell(
            context,
            commands,
            (host, port, in, out) -> connect(context.namespace(), host, port, in, out));
    if (sub.equals("exec") && !shell.knows(command.get(0))) {
      WebSocketConnection ws = WebSocketConnection.accept(exchange, protocol);
      Channels channels = new Channels(ws, protocol);
      channels.start(flag(query, "stdin"));
      channels.finish(
          Doc.obj(
              "metadata",
              Doc.obj(),
              "status",
              "Failure",
              "message",
              "Internal error occurred: error executing command in container: failed to exec in"
                  + " container: OCI runtime exec failed: exec failed: unable to start container"
                  + " process: exec: \""
                  + command.get(0)
                  + "\": executable file not found in $PATH: unknown",
              "reason",
              "InternalError",
              "details",
              Doc.obj("causes", List.of(Doc.obj("message", "executable file not found"))),
              "code",
              500));
      return;
    }
    WebSocketConnection ws = WebSocketConnection.accept(exchange, protocol);
    Channels channels = new Channels(ws, protocol);
    channels.start(flag(query, "stdin"));
    boolean tty = flag(query, "tty");
    OutputStream stdout =
        flag(query, "stdout") ? channels.output(1) : OutputStream.nullOutputStream();
    OutputStream stderr =
        tty ? stdout : flag(query, "stderr") ? channels.output(2) : OutputStream.nullOutputStream();
    int exit;
    try {
      if (sub.equals("attach")) {
        stdout.write(
            logs.getOrDefault(context.namespace() + "/" + name, "")
                .getBytes(StandardCharsets.UTF_8));
        stdout.flush();
        channels.awaitClientGone();
        return;
      }
      exit = shell.exec(command, channels.stdin(), stdout, stderr);
      stdout.flush();
      stderr.flush();
    } catch (Shell.NotFound e) {
      exit = 127;
    } catch (IOException e) {
      // the client went away
      ws.close(1000, "");
      return;
    }
    channels.finish(
        exit == 0
            ? Doc.obj("metadata", Doc.obj(), "status", "Success")
            : Doc.obj(
                "metadata",
                Doc.obj(),
                "status",
                "Failure",
                "message",
                "command terminated with non-zero exit code: error executing command "
                    + command
                    + ", exit code "
                    + exit,
                "reason",
                "NonZeroExitCode",
                "details",
                Doc.obj(
                    "causes",
                    List.of(Doc.obj("reason", "ExitCode", "message", String.valueOf(exit))))));
  }

  /**
   * A connection from a pod of {@code namespace} to {@code host:port}, answered by the port handler
   * of the pod it reaches: 0 when served, 6 when the name does not resolve, 7 refused.
   */
  int connect(String namespace, String host, int port, InputStream in, OutputStream out)
      throws IOException {
    Network network = volumes.network();
    if (!network.resolves(host, namespace)) {
      return 6;
    }
    Network.Endpoint endpoint = network.connect(host, port, namespace);
    if (endpoint == null) {
      return 7;
    }
    Listener listener = listener(endpoint.pod(), endpoint.port());
    if (listener == null) {
      return 7;
    }
    try {
      listener
          .handler()
          .serve(
              new ContainerContext(store, kinds, volumes, endpoint.pod(), listener.container()),
              in,
              out);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    return 0;
  }

  /** What listens on a pod's port: the container and its handler. */
  private record Listener(FakePortHandler handler, Map<String, @Nullable Object> container) {}

  /**
   * The handler a test added for the port, else the built-in one of the container's image; null
   * when nothing listens there (the connection is refused).
   */
  private @Nullable Listener listener(Map<String, @Nullable Object> pod, int port) {
    Map<String, @Nullable Object> container = Ports.containerFor(pod, port);
    if (container == null) {
      return null;
    }
    FakePortHandler handler = ports.get(port);
    if (handler == null) {
      handler = Ports.builtin(Objects.requireNonNullElse(Doc.string(container, "image"), ""), port);
    }
    return handler == null ? null : new Listener(handler, container);
  }

  /**
   * Refuses a request that is no upgrade, as the API server does, and one that asks for SPDY
   * (kubectl before 1.30, or its fallback), which this fake does not serve.
   */
  private static void requireWebSocket(HttpExchange exchange) {
    if (WebSocketConnection.isUpgrade(exchange)) {
      return;
    }
    String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
    if (upgrade != null && upgrade.toUpperCase(java.util.Locale.ROOT).startsWith("SPDY")) {
      throw Status.badRequest(
          "FakeKubernetes serves exec, attach and port-forward over WebSocket"
              + " (v5.channel.k8s.io, v4.channel.k8s.io), not SPDY");
    }
    throw Status.badRequest("Upgrade request required");
  }

  /** The container a request names, or the only one; refused as the API server refuses. */
  private static Map<String, @Nullable Object> container(
      Map<String, @Nullable Object> pod, String name, Map<String, List<String>> query) {
    String wanted =
        PodContainers.require(pod, name, query.getOrDefault("container", List.of("")).get(0));
    Map<String, @Nullable Object> container = Doc.obj();
    container.put("name", wanted);
    for (String list : List.of("spec.initContainers", "spec.containers")) {
      for (Object c : Doc.list(pod, list)) {
        if (wanted.equals(Doc.string(c, "name"))) {
          container = Doc.copyObject(c);
        }
      }
    }
    if (Doc.string(pod, "spec.nodeName") == null) {
      throw Status.badRequest("pod " + name + " does not have a host assigned");
    }
    String containerName = Objects.requireNonNullElse(Doc.string(container, "name"), "");
    boolean running = false;
    for (Object status : Doc.list(pod, "status.containerStatuses")) {
      if (containerName.equals(Doc.string(status, "name"))
          && Doc.get(status, "state.running") != null) {
        running = true;
      }
    }
    if (!running) {
      throw new Status(
          400,
          "BadRequest",
          "unable to upgrade connection: container not found (\"" + containerName + "\")",
          Doc.obj());
    }
    return container;
  }

  private static String negotiate(HttpExchange exchange, List<String> supported) {
    List<String> offered = WebSocketConnection.offered(exchange);
    if (offered.isEmpty()) {
      return "";
    }
    for (String protocol : offered) {
      if (supported.contains(protocol)) {
        return protocol;
      }
    }
    throw Status.badRequest(
        "unable to upgrade: unable to negotiate protocol: client supports "
            + offered
            + ", server supports "
            + supported);
  }

  private void portForward(
      HttpExchange exchange,
      Map<String, @Nullable Object> pod,
      String name,
      Map<String, List<String>> query)
      throws IOException {
    List<Integer> wanted = new ArrayList<>();
    for (String value : query.getOrDefault("ports", List.of())) {
      for (String part : value.split(",", -1)) {
        int port;
        try {
          port = Integer.parseInt(part.trim());
        } catch (NumberFormatException e) {
          throw Status.badRequest("unable to parse \"" + value + "\" as a port: invalid syntax");
        }
        if (port < 1 || port > 65535) {
          throw Status.badRequest("port \"" + value + "\" must be > 0 and < 65536");
        }
        wanted.add(port);
      }
    }
    if (wanted.isEmpty()) {
      throw Status.badRequest("query parameter \"port\" is required");
    }
    if (!"Running".equals(Doc.string(pod, "status.phase"))) {
      throw Status.badRequest(
          "unable to upgrade connection: pod "
              + name
              + " is not running ("
              + Doc.string(pod, "status.phase")
              + ")");
    }
    String protocol = negotiate(exchange, PORT_FORWARD_PROTOCOLS);
    WebSocketConnection ws = WebSocketConnection.accept(exchange, protocol);
    Channels channels = new Channels(ws, protocol);
    for (int i = 0; i < wanted.size(); i++) {
      byte[] port = {(byte) (wanted.get(i) & 0xff), (byte) (wanted.get(i) >> 8)};
      channels.send(2 * i, port);
      channels.send(2 * i + 1, port);
    }
    channels.startPorts(wanted.size());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < wanted.size(); i++) {
      int index = i;
      int port = wanted.get(i);
      Thread thread =
          new Thread(
              () -> forward(channels, index, port, pod, name), "fake-kubernetes-port-" + port);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    ws.close(1000, "");
  }

  private void forward(
      Channels channels, int index, int port, Map<String, @Nullable Object> pod, String name) {
    String uid = Objects.requireNonNullElse(Doc.string(pod, "metadata.uid"), "");
    try {
      Listener listener = listener(pod, port);
      if (listener == null) {
        channels.send(
            2 * index + 1,
            ("error forwarding port "
                    + port
                    + " to pod "
                    + uid
                    + ", uid : failed to connect to"
                    + " localhost:"
                    + port
                    + " inside the pod's network namespace: dial tcp4"
                    + " 127.0.0.1:"
                    + port
                    + ": connect: connection refused")
                .getBytes(StandardCharsets.UTF_8));
        return;
      }
      ContainerContext context =
          new ContainerContext(store, kinds, volumes, pod, listener.container());
      OutputStream out = channels.output(2 * index);
      listener.handler().serve(context, channels.portInput(index), out);
      out.flush();
    } catch (Exception e) {
      try {
        channels.send(
            2 * index + 1,
            ("error forwarding port " + port + " to pod " + name + ": " + e.getMessage())
                .getBytes(StandardCharsets.UTF_8));
      } catch (IOException ignored) {
        // the client is gone
      }
    }
  }

  /** The channels over one WebSocket: a reader thread for what the client sends. */
  private static final class Channels {
    private static final byte[] EOF = new byte[0];
    private final WebSocketConnection ws;
    private final String protocol;
    private final Map<Integer, QueueInput> inputs = new ConcurrentHashMap<>();
    private final CountDownLatch gone = new CountDownLatch(1);

    Channels(WebSocketConnection ws, String protocol) {
      this.ws = ws;
      this.protocol = protocol;
    }

    void start(boolean stdin) {
      if (stdin) {
        inputs.put(0, new QueueInput());
      }
      read();
    }

    void startPorts(int count) {
      for (int i = 0; i < count; i++) {
        inputs.put(2 * i, new QueueInput());
      }
      read();
    }

    InputStream stdin() {
      QueueInput in = inputs.get(0);
      return in == null ? InputStream.nullInputStream() : in;
    }

    InputStream portInput(int index) {
      return Objects.requireNonNull(inputs.get(2 * index));
    }

    private void read() {
      Thread reader =
          new Thread(
              () -> {
                try {
                  byte[] message;
                  while ((message = ws.read()) != null) {
                    if (message.length == 0) {
                      continue;
                    }
                    int channel = message[0] & 0xff;
                    if (channel == 255 && message.length > 1) {
                      // v5: the client closed one of its streams
                      QueueInput in = inputs.get(message[1] & 0xff);
                      if (in != null) {
                        in.add(EOF);
                      }
                      continue;
                    }
                    QueueInput in = inputs.get(channel);
                    if (in != null && message.length > 1) {
                      in.add(Arrays.copyOfRange(message, 1, message.length));
                    }
                  }
                } catch (IOException e) {
                  // the connection ended
                } finally {
                  inputs.values().forEach(in -> in.add(EOF));
                  gone.countDown();
                }
              },
              "fake-kubernetes-stream-reader");
      reader.setDaemon(true);
      reader.start();
    }

    void awaitClientGone() {
      try {
        gone.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    void send(int channel, byte[] data) throws IOException {
      byte[] message = new byte[data.length + 1];
      message[0] = (byte) channel;
      System.arraycopy(data, 0, message, 1, data.length);
      ws.sendBinary(message);
    }

    OutputStream output(int channel) {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          for (int start = off; start < off + len; start += 32 * 1024) {
            send(channel, Arrays.copyOfRange(b, start, Math.min(off + len, start + 32 * 1024)));
          }
        }
      };
    }

    /** Sends the exit status (on the protocols that carry one) and closes. */
    void finish(Map<String, @Nullable Object> status) {
      try {
        if (protocol.startsWith("v4.") || protocol.startsWith("v5.")) {
          send(3, Doc.write(status).getBytes(StandardCharsets.UTF_8));
        } else if (!"Success".equals(status.get("status"))) {
          send(3, String.valueOf(status.get("message")).getBytes(StandardCharsets.UTF_8));
        }
      } catch (IOException ignored) {
        // the client went away before the end
      }
      ws.close(1000, "");
    }
  }

  /** An input stream fed by the reader thread, message by message; empty array = end. */
  private static final class QueueInput extends InputStream {
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(1024);
    private byte @Nullable [] current;
    private int position;
    private boolean ended;

    void add(byte[] data) {
      try {
        queue.put(data);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (!ended && (current == null || position >= current.length)) {
        try {
          current = queue.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted");
        }
        position = 0;
        if (current.length == 0) {
          ended = true;
        }
      }
      byte[] data = current;
      if (ended || data == null) {
        return -1;
      }
      int n = Math.min(len, data.length - position);
      System.arraycopy(data, position, b, off, n);
      position += n;
      return n;
    }
  }
}
