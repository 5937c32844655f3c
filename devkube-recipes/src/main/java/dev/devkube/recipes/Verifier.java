package dev.devkube.recipes;

import dev.devkube.DevkubeException;
import dev.devkube.k8s.Condition;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.ExecResult;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.PortForward;
import dev.devkube.recipes.VerifyReport.Check;
import dev.devkube.recipes.VerifyReport.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** {@link DevEnvironment#verify()}: each check, in order, never leaving anything behind. */
final class Verifier {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final DevEnvironment env;
  private final KubeClient kube;
  private final List<Check> checks = new ArrayList<>();

  Verifier(DevEnvironment env, KubeClient kube) {
    this.env = env;
    this.kube = kube;
  }

  private void add(String name, Outcome outcome, String detail) {
    checks.add(new Check(name, outcome, detail));
  }

  VerifyReport run() {
    List<Part> deployed = pods();
    if (deployed.contains(Part.SSH)) {
      share(deployed);
      sshFiles();
    }
    if (deployed.contains(Part.IDE)) {
      ide();
    }
    if (deployed.contains(Part.REDIS)) {
      redis();
      fromToolbox(deployed, "Redis", Redis.SERVICE, 6379);
    }
    if (deployed.contains(Part.POSTGRES)) {
      postgres();
      fromToolbox(deployed, "Postgres", Postgres.SERVICE, 5432);
    }
    sshPort();
    add(
        "network policy",
        Outcome.SKIPPED,
        "enforcement is not probed: that would need a pod outside the environment; whether the"
            + " cluster's CNI enforces NetworkPolicy is up to the cluster");
    return new VerifyReport(checks);
  }

  /** Every part's pods ready; returns the parts that have pods. */
  private List<Part> pods() {
    List<Part> deployed = new ArrayList<>();
    for (Part part : Part.values()) {
      List<KubeObject> pods = env.pods(part);
      if (pods.isEmpty()) {
        continue;
      }
      deployed.add(part);
      List<String> notReady = new ArrayList<>();
      for (KubeObject pod : pods) {
        if (Conditions.podReady().check(pod).outcome() != Condition.Outcome.MET) {
          notReady.add(pod.name() + " (" + pod.getString("status.phase") + ")");
        }
      }
      add(
          part + " pods ready",
          notReady.isEmpty() ? Outcome.PASSED : Outcome.FAILED,
          notReady.isEmpty()
              ? pods.size() + " ready"
              : "not ready: "
                  + notReady
                  + "; see kubectl -n "
                  + env.namespace()
                  + " describe pod, and its events");
    }
    return deployed;
  }

  /** A probe written through sshd, read in every consumer and through nginx over a forward. */
  private void share(List<Part> deployed) {
    String name = "devkube-verify-" + UUID.randomUUID() + ".txt";
    String token = UUID.randomUUID().toString();
    String path = Share.MOUNT + "/" + name;
    try {
      ExecResult write = env.exec(Part.SSH, "sh", "-c", "printf %s " + token + " > " + path);
      if (!write.succeeded()) {
        add(
            "share writable through sshd",
            Outcome.FAILED,
            write.stderr().strip() + "; the share's folder must be writable by sshd's user");
        return;
      }
      add("share writable through sshd", Outcome.PASSED, "wrote " + path);
      // Every consumer, where its pods mount the share (read from their spec).
      Map<Part, String> mounts = new java.util.LinkedHashMap<>();
      for (Part consumer : List.of(Part.WEB, Part.IDE, Part.TOOLBOX)) {
        if (deployed.contains(consumer)) {
          sharePath(consumer).ifPresent(mountPath -> mounts.put(consumer, mountPath));
        }
      }
      for (Map.Entry<Part, String> mount : mounts.entrySet()) {
        ExecResult read = env.exec(mount.getKey(), "cat", mount.getValue() + "/" + name);
        boolean same = read.succeeded() && read.stdout().equals(token);
        add(
            "share mounted in " + mount.getKey(),
            same ? Outcome.PASSED : Outcome.FAILED,
            same
                ? "read the probe at " + mount.getValue()
                : "the probe is not at " + mount.getValue() + ": " + read.stderr().strip());
      }
      if (deployed.contains(Part.WEB)) {
        try (PortForward web = env.forward(Part.WEB)) {
          Page page = request(web.url() + "/" + name, null);
          boolean same = page.statusCode() == 200 && page.body().equals(token);
          add(
              "web serves the share",
              same ? Outcome.PASSED : Outcome.FAILED,
              same
                  ? "read the probe over a port-forward to nginx"
                  : "GET /" + name + " answered " + page.statusCode());
        }
      }
    } catch (DevkubeException | IllegalStateException | IOException e) {
      add("share", Outcome.FAILED, String.valueOf(e.getMessage()));
    } finally {
      try {
        env.exec(Part.SSH, "rm", "-f", path);
      } catch (RuntimeException e) {
        add("probe removed", Outcome.FAILED, "remove " + path + " by hand: " + e.getMessage());
      }
    }
  }

  /**
   * sshd serves the host key the environment reports (so a user's check means something) and has
   * devkube's settings mounted where the image reads them.
   */
  private void sshFiles() {
    SshHostKeys keys = env.sshHostKeys().orElse(null);
    if (keys == null) {
      add("ssh host key kept", Outcome.SKIPPED, "the classic image makes a new key at every start");
      return;
    }
    try {
      ExecResult key = env.exec(Part.SSH, "cat", SshServer.HOST_KEY_DIR + "/" + HostKeys.TYPE_FILE);
      String served = key.stdout().strip();
      boolean same =
          key.succeeded()
              && !served.isEmpty()
              && HostKeys.fingerprint(served).equals(keys.fingerprint());
      add(
          "ssh host key kept",
          same ? Outcome.PASSED : Outcome.FAILED,
          same
              ? "sshd has " + keys.fingerprint() + " from Secret " + SshServer.HOST_KEYS
              : "sshd's key is not the reported one: " + key.stderr().strip());
      ExecResult settings = env.exec(Part.SSH, "cat", SshServer.CONFIG_DIR + "/devkube.conf");
      boolean mounted =
          settings.succeeded() && settings.stdout().contains("PasswordAuthentication no");
      add(
          "ssh settings mounted",
          mounted ? Outcome.PASSED : Outcome.FAILED,
          mounted
              ? "key-only, forwarding as needed, in " + SshServer.CONFIG_DIR
              : "no devkube.conf in " + SshServer.CONFIG_DIR + ": " + settings.stderr().strip());
    } catch (DevkubeException | IllegalStateException | IllegalArgumentException e) {
      add("ssh host key kept", Outcome.FAILED, String.valueOf(e.getMessage()));
    }
  }

  /** Where the pods of {@code part} mount the share, from their spec. */
  private Optional<String> sharePath(Part part) {
    for (KubeObject pod : env.pods(part)) {
      for (Object container : pod.getList("spec.containers")) {
        if (container instanceof Map<?, ?> c && c.get("volumeMounts") instanceof List<?> mounts) {
          for (Object mount : mounts) {
            if (mount instanceof Map<?, ?> m && Manifests.SHARE_VOLUME.equals(m.get("name"))) {
              return Optional.of(String.valueOf(m.get("mountPath")));
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /** One answer of a server reached over a forwarded port. */
  private record Page(int statusCode, String body, @Nullable String setCookie) {}

  /**
   * A GET, or a form POST when {@code form} is given, without following redirects. A plain
   * connection, closed when answered: nothing of it outlives the check.
   */
  private static Page request(String url, @Nullable String form) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
    try {
      connection.setConnectTimeout((int) TIMEOUT.toMillis());
      connection.setReadTimeout((int) TIMEOUT.toMillis());
      connection.setInstanceFollowRedirects(false);
      if (form != null) {
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/x-www-form-urlencoded");
        try (OutputStream out = connection.getOutputStream()) {
          out.write(form.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = connection.getResponseCode();
      InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
      String body = "";
      if (in != null) {
        try (in) {
          body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return new Page(status, body, connection.getHeaderField("Set-Cookie"));
    } finally {
      connection.disconnect();
    }
  }

  /** The IDE refuses without its password and lets in with it. */
  private void ide() {
    Optional<String> password = idePassword();
    try (PortForward ide = env.forward(Part.IDE)) {
      Page anonymous = request(ide.url() + "/", null);
      boolean guarded = anonymous.statusCode() == 302 || anonymous.statusCode() == 401;
      add(
          "IDE asks for its password",
          guarded ? Outcome.PASSED : Outcome.FAILED,
          guarded
              ? "/ answers " + anonymous.statusCode() + " without a session"
              : "/ answered "
                  + anonymous.statusCode()
                  + " without a password: anyone who"
                  + " reaches it gets a shell");
      if (password.isEmpty()) {
        add(
            "IDE lets in with its password",
            Outcome.SKIPPED,
            "the password Secret could not be read");
        return;
      }
      Page login = login(ide.url(), password.get());
      boolean in = login.statusCode() == 302 && login.setCookie() != null;
      Page wrong = login(ide.url(), "not-" + password.get());
      boolean refused = wrong.setCookie() == null;
      add(
          "IDE lets in with its password",
          in && refused ? Outcome.PASSED : Outcome.FAILED,
          in && refused
              ? "the right password signs in, a wrong one does not"
              : "login answered " + login.statusCode() + " / wrong password " + wrong.statusCode());
    } catch (DevkubeException | IllegalStateException | IOException e) {
      add("IDE", Outcome.FAILED, String.valueOf(e.getMessage()));
    }
  }

  private static Page login(String url, String password) throws IOException {
    return request(
        url + "/login", "password=" + URLEncoder.encode(password, StandardCharsets.UTF_8));
  }

  private Optional<String> idePassword() {
    return secret(IdeServer.SECRET, "password");
  }

  private Optional<String> secret(String name, String key) {
    try {
      return kube.resource(KubeObject.of("v1", "Secret", name).namespace(env.namespace()))
          .get()
          .map(s -> s.getString("data." + key))
          .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
    } catch (DevkubeException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void redis() {
    Optional<String> password = secret(Redis.SECRET, "password");
    try (PortForward redis = env.forward(Part.REDIS);
        Socket socket = connect(redis)) {
      OutputStream out = socket.getOutputStream();
      String auth = password.map(p -> resp("AUTH", p)).orElse("");
      out.write((auth + resp("PING")).getBytes(StandardCharsets.UTF_8));
      out.flush();
      String answer = readLines(socket.getInputStream(), password.isPresent() ? 2 : 1);
      boolean pong = answer.endsWith("+PONG");
      add(
          "Redis answers",
          pong ? Outcome.PASSED : Outcome.FAILED,
          pong ? "PING with the password: PONG" : "answered: " + answer);
    } catch (DevkubeException | IllegalStateException | IOException e) {
      add("Redis answers", Outcome.FAILED, String.valueOf(e.getMessage()));
    }
  }

  private void postgres() {
    try (PortForward postgres = env.forward(Part.POSTGRES);
        Socket socket = connect(postgres)) {
      // SSLRequest: a Postgres server answers with one byte, 'S' or 'N'.
      socket.getOutputStream().write(new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f});
      socket.getOutputStream().flush();
      int answer = socket.getInputStream().read();
      boolean ok = answer == 'S' || answer == 'N';
      add(
          "Postgres answers",
          ok ? Outcome.PASSED : Outcome.FAILED,
          ok ? "the protocol's first answer came" : "no Postgres answer (" + answer + ")");
    } catch (DevkubeException | IllegalStateException | IOException e) {
      add("Postgres answers", Outcome.FAILED, String.valueOf(e.getMessage()));
    }
  }

  /**
   * A TCP connection from the toolbox to a Service, by its cluster DNS name, with the toolbox's
   * curl ({@code telnet://}): curl's exit code 7 is a refused or blocked connection, 6 a name that
   * does not resolve; 0 or 28 (the server kept the connection open until curl's time limit) mean it
   * connected.
   */
  private void fromToolbox(List<Part> deployed, String what, String service, int port) {
    String name = what + " reachable from the toolbox";
    if (!deployed.contains(Part.TOOLBOX)) {
      add(name, Outcome.SKIPPED, "no toolbox in this environment");
      return;
    }
    String host = service + "." + env.namespace() + ".svc.cluster.local";
    try {
      ExecResult curl =
          env.exec(Part.TOOLBOX, "curl", "-sS", "-m", "3", "telnet://" + host + ":" + port);
      switch (curl.exitCode()) {
        case 0, 28 -> add(name, Outcome.PASSED, "connected to " + host + ":" + port);
        case 6 -> add(name, Outcome.FAILED, host + " does not resolve: is the Service there?");
        case 7 ->
            add(
                name,
                Outcome.FAILED,
                host
                    + ":"
                    + port
                    + " refused or blocked the connection: the Service's pod, or a"
                    + " NetworkPolicy");
        default ->
            add(
                name,
                Outcome.FAILED,
                "curl exit " + curl.exitCode() + ": " + curl.stderr().strip());
      }
    } catch (DevkubeException | IllegalStateException e) {
      add(name, Outcome.SKIPPED, "could not run curl in the toolbox: " + e.getMessage());
    }
  }

  private static Socket connect(PortForward forward) throws IOException {
    Socket socket = new Socket();
    socket.connect(forward.localAddress(), (int) TIMEOUT.toMillis());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    return socket;
  }

  private static String resp(String... words) {
    StringBuilder text = new StringBuilder("*" + words.length + "\r\n");
    for (String word : words) {
      text.append('$')
          .append(word.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n")
          .append(word)
          .append("\r\n");
    }
    return text.toString();
  }

  private static String readLines(InputStream in, int lines) throws IOException {
    StringBuilder text = new StringBuilder();
    int seen = 0;
    int b;
    while (seen < lines && (b = in.read()) >= 0) {
      if (b == '\n') {
        seen++;
      } else if (b != '\r') {
        text.append((char) b);
      }
      if (b == '\n' && seen < lines) {
        text.append(' ');
      }
    }
    return text.toString();
  }

  /** The ssh node port accepts a TCP connection at the first access address. */
  private void sshPort() {
    List<String> ips = env.accessIps();
    if (ips.isEmpty()) {
      add("ssh node port open", Outcome.SKIPPED, "the nodes have no address");
      return;
    }
    String ip = ips.get(0);
    if (ip.startsWith("192.0.2.") || ip.startsWith("198.51.100.") || ip.startsWith("203.0.113.")) {
      add(
          "ssh node port open",
          Outcome.SKIPPED,
          ip + " is a documentation address (RFC 5737), as a fake cluster's nodes have");
      return;
    }
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(InetAddress.getByName(ip), env.sshNodePort()),
          (int) TIMEOUT.toMillis());
      add("ssh node port open", Outcome.PASSED, ip + ":" + env.sshNodePort() + " accepts");
    } catch (IOException e) {
      add(
          "ssh node port open",
          Outcome.FAILED,
          ip
              + ":"
              + env.sshNodePort()
              + " refused or timed out ("
              + e.getMessage()
              + "): check the cloud firewall allows the node port");
    }
  }
}
