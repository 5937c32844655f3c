package dev.devkube.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.DevkubeException;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.ExecOptions;
import dev.devkube.k8s.ExecResult;
import dev.devkube.k8s.ExecSession;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.KubePod;
import dev.devkube.k8s.PortForward;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exec, attach, port-forward and copy of devkube's KubePod against FakeKubernetes: the WebSocket
 * channel protocols end to end, the fake shell, files shared through a volume, the port handlers.
 */
class PodStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FakeKubernetes cluster;
  private KubeClient kube;

  @BeforeEach
  void start() {
    cluster = FakeKubernetes.start();
    kube = KubeClient.connect(cluster.credentials());
    kube.resource(claim("shared")).apply();
    kube.resource(pod("writer", "alpine:3.20", "/data", 0)).apply();
    kube.resource(pod("web", "nginx:1.27-alpine", "/usr/share/nginx/html", 80)).apply();
    for (String name : List.of("writer", "web")) {
      kube.resource(KubeObject.of("v1", "Pod", name).namespace("default"))
          .waitUntil(Conditions.podRunning(), WAIT);
    }
  }

  @AfterEach
  void stop() {
    kube.close();
    cluster.close();
  }

  private static KubeObject claim(String name) {
    return KubeObject.parseYaml(
            """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        """
                .formatted(name))
        .get(0);
  }

  private static KubeObject pod(String name, String image, String mountPath, int port) {
    return KubeObject.parseYaml(
            """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default, labels: {app: %s}}
        spec:
          containers:
          - name: main
            image: %s
            ports: [{containerPort: %d}]
            volumeMounts: [{name: data, mountPath: %s}]
          volumes:
          - name: data
            persistentVolumeClaim: {claimName: shared}
        """
                .formatted(name, name, image, Math.max(port, 1), mountPath))
        .get(0);
  }

  @Test
  void secretAndConfigMapVolumesHoldTheListedKeysAtTheirPathsWithTheirModes() {
    kube.resource(
            KubeObject.parseYaml(
                    """
        apiVersion: v1
        kind: Secret
        metadata: {name: keys, namespace: default}
        stringData: {private: secret-text, public: public-text, unused: x}
        """)
                .get(0))
        .apply();
    kube.resource(
            KubeObject.parseYaml(
                    """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings, namespace: default}
        data: {a.conf: one, b.conf: two}
        """)
                .get(0))
        .apply();
    kube.resource(
            KubeObject.parseYaml(
                    """
        apiVersion: v1
        kind: Pod
        metadata: {name: mounts, namespace: default}
        spec:
          containers:
          - name: main
            image: alpine:3.20
            volumeMounts:
            - {name: keys, mountPath: /keys, readOnly: true}
            - {name: settings, mountPath: /etc/app, readOnly: true}
          volumes:
          - name: keys
            secret:
              secretName: keys
              defaultMode: 288
              items: [{key: private, path: id}, {key: public, path: sub/id.pub, mode: 420}]
          - name: settings
            configMap: {name: settings}
        """)
                .get(0))
        .apply();
    kube.resource(KubeObject.of("v1", "Pod", "mounts").namespace("default"))
        .waitUntil(Conditions.podRunning(), WAIT);
    KubePod pod = kube.pod("default", "mounts");

    assertThat(pod.exec("ls", "/keys").stdout()).isEqualTo("id\nsub\n");
    assertThat(pod.exec("cat", "/keys/id").stdout()).isEqualTo("secret-text");
    assertThat(pod.exec("sh", "-c", "ls -l /keys/id").stdout()).startsWith("-r--r-----");
    assertThat(pod.exec("sh", "-c", "ls -l /keys/sub/id.pub").stdout()).startsWith("-rw-r--r--");
    assertThat(pod.exec("ls", "/etc/app").stdout()).isEqualTo("a.conf\nb.conf\n");
    assertThat(pod.exec("sh", "-c", "echo x > /etc/app/a.conf").succeeded()).isFalse();
  }

  @Test
  void execReturnsOutputAndExitCodeOverTheV5Protocol() {
    KubePod writer = kube.pod("default", "writer");
    ExecResult ok = writer.exec("sh", "-c", "echo hello; echo oops >&2; exit 0");
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.stdout()).isEqualTo("hello\n");

    ExecResult failed = writer.exec("sh", "-c", "echo to-err 2>&1; ls /nothing; exit 3");
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThat(failed.stderr()).contains("/nothing: No such file or directory");
    assertThat(failed.succeeded()).isFalse();

    ExecResult input = writer.exec(ExecOptions.defaults().stdin("line one\nline two\n"), "cat");
    assertThat(input.stdout()).isEqualTo("line one\nline two\n");

    assertThat(
            cluster.requests().stream()
                .filter(r -> r.path().endsWith("/exec"))
                .map(r -> r.method())
                .distinct())
        .containsExactly("GET");
  }

  @Test
  void aFileWrittenInOnePodIsServedByTheOtherOverAForwardedPort() throws Exception {
    kube.pod("default", "writer")
        .exec("sh", "-c", "mkdir -p /data/site && echo '<h1>hi</h1>' > /data/site/index.html");
    try (PortForward web = kube.pod("default", "web").portForward(80)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> page =
          http.send(
              HttpRequest.newBuilder(URI.create(web.url() + "/site/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).isEqualTo("<h1>hi</h1>\n");
      HttpResponse<String> missing =
          http.send(
              HttpRequest.newBuilder(URI.create(web.url() + "/nothing.html")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(missing.statusCode()).isEqualTo(404);
      assertThat(web.localAddress().getAddress().isLoopbackAddress()).isTrue();
    }
    assertThat(
            new String(
                cluster
                    .container("default", "web", null)
                    .readFile("/usr/share/nginx/html/site/index.html"),
                UTF_8))
        .isEqualTo("<h1>hi</h1>\n");
  }

  @Test
  void aServicePortLeadsToItsTargetPortOnAReadyPod() throws Exception {
    kube.pod("default", "writer").exec("sh", "-c", "echo svc > /data/s.txt");
    KubeObject service =
        KubeObject.parseYaml(
                """
            apiVersion: v1
            kind: Service
            metadata: {name: web-svc, namespace: default}
            spec:
              selector: {app: web}
              ports: [{port: 8080, targetPort: 80}]
            """)
            .get(0);
    kube.resource(service).apply();
    assertThat(kube.readyPod(service).toString()).contains("default/web");
    try (PortForward forward = kube.portForward(service, 8080)) {
      assertThat(forward.podPort()).isEqualTo(80);
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(forward.url() + "/s.txt")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).isEqualTo("svc\n");
    }
    // Inside the cluster, as a pod reaches it: by name, through the Service's port mapping.
    KubePod writer = kube.pod("default", "writer");
    assertThat(writer.exec("curl", "-sS", "http://web-svc:8080/s.txt").stdout()).isEqualTo("svc\n");
    assertThat(
            writer
                .exec("curl", "-sS", "http://web-svc.default.svc.cluster.local:8080/s.txt")
                .stdout())
        .isEqualTo("svc\n");
    ExecResult refused = writer.exec("curl", "-sS", "-m", "3", "telnet://web-svc:9");
    assertThat(refused.exitCode()).isEqualTo(7);
    assertThat(refused.stderr()).contains("Failed to connect to web-svc port 9");
    assertThat(writer.exec("curl", "-sS", "http://nowhere.default.svc/").exitCode()).isEqualTo(6);
    assertThat(writer.exec("curl", "-sSf", "http://web-svc:8080/missing").exitCode()).isEqualTo(22);
    assertThatThrownBy(() -> kube.portForward(service, 9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no port 9");
  }

  @Test
  void aPortNothingListensOnIsRefusedWithTheServersReason() throws Exception {
    try (PortForward forward = kube.pod("default", "writer").portForward(9999)) {
      try (Socket socket = new Socket(forward.localAddress().getAddress(), forward.localPort())) {
        socket.getOutputStream().write("x".getBytes(UTF_8));
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(forward.lastError()).contains("connection refused");
    }
  }

  @Test
  void aStreamingSessionTakesInputUntilItIsClosed() throws Exception {
    try (ExecSession sh = kube.pod("default", "writer").execStream(ExecOptions.defaults(), "sh")) {
      OutputStream in = sh.stdin();
      in.write("echo first\n".getBytes(UTF_8));
      in.write("cd /data && pwd\n".getBytes(UTF_8));
      in.write("exit 7\n".getBytes(UTF_8));
      in.close();
      assertThat(new String(sh.stdout().readAllBytes(), UTF_8)).isEqualTo("first\n/data\n");
      assertThat(sh.waitFor(WAIT)).isEqualTo(7);
      assertThat(sh.exitCode()).hasValue(7);
    }
  }

  @Test
  void refusalsAreTypedErrorsWithTheServersMessage() {
    assertThatThrownBy(() -> kube.pod("default", "writer").exec("nosuchprogram"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("executable file not found");
    assertThatThrownBy(
            () ->
                kube.pod("default", "writer").exec(ExecOptions.defaults().container("other"), "ls"))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).statusCode()).isEqualTo(400))
        .hasMessageContaining("container other is not valid for pod writer");
    assertThatThrownBy(() -> kube.pod("default", "nopod").exec("ls"))
        .isInstanceOf(ApiException.class)
        .satisfies(e -> assertThat(((ApiException) e).statusCode()).isEqualTo(404));
    assertThatThrownBy(() -> kube.pod("default", "writer").exec())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void execIsForbiddenWithoutCreateOnPodsExec() {
    try (FakeKubernetes limited =
            FakeKubernetes.builder().user("dev", "dev-token", "team").start();
        KubeClient admin = KubeClient.connect(limited.credentials());
        KubeClient dev = KubeClient.connect(limited.credentials("dev"))) {
      admin.resource(claim("shared")).apply();
      admin.resource(pod("p", "alpine:3.20", "/data", 1)).apply();
      admin
          .resource(KubeObject.of("v1", "Pod", "p").namespace("default"))
          .waitUntil(Conditions.podRunning(), WAIT);
      assertThat(admin.pod("default", "p").exec("true").exitCode()).isZero();
      // "dev" may edit in "team" only: exec in "default" is refused with the server's words.
      assertThatThrownBy(() -> dev.pod("default", "p").exec("ls"))
          .isInstanceOf(ApiException.class)
          .satisfies(e -> assertThat(((ApiException) e).statusCode()).isEqualTo(403))
          .hasMessageContaining("cannot create resource \"pods/exec\"");
    }
  }

  @Test
  void copyToAndFromRoundTripsAFolder(@TempDir Path tmp) throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site/assets"));
    Files.writeString(tmp.resolve("site/index.html"), "<p>home</p>");
    Files.write(site.resolve("logo.bin"), new byte[70_000]);
    String longName = "n".repeat(120) + ".txt";
    Files.writeString(site.resolve(longName), "long");
    KubePod writer = kube.pod("default", "writer");
    AtomicLong sent = new AtomicLong();
    writer.copyTo(tmp.resolve("site"), "/data", (bytes, total, file) -> sent.set(bytes));
    assertThat(sent.get()).isEqualTo(70_000 + 11 + 4);
    assertThat(writer.exec("cat", "/data/site/index.html").stdout()).isEqualTo("<p>home</p>");

    Path back = Files.createDirectories(tmp.resolve("back"));
    kube.pod("default", "web").copyFrom("/usr/share/nginx/html/site", back);
    assertThat(Files.readString(back.resolve("site/index.html"))).isEqualTo("<p>home</p>");
    assertThat(Files.size(back.resolve("site/assets/logo.bin"))).isEqualTo(70_000);
    assertThat(Files.readString(back.resolve("site/assets/" + longName))).isEqualTo("long");

    Path single = tmp.resolve("single.html");
    writer.copyFrom("/data/site/index.html", single);
    assertThat(Files.readString(single)).isEqualTo("<p>home</p>");

    assertThatThrownBy(() -> writer.copyFrom("/data/nothing", tmp.resolve("x")))
        .isInstanceOf(DevkubeException.class)
        .hasMessageContaining("No such file or directory");
    assertThatThrownBy(() -> writer.copyTo(tmp.resolve("site"), "relative/path"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absolute");
  }

  @Test
  void anArchiveEntryThatWouldEscapeTheTargetIsRefused(@TempDir Path tmp) throws Exception {
    // A hostile container answers "tar cf" with an entry that climbs out of the target.
    cluster.onExec(
        "tar",
        process -> {
          ByteArrayOutputStream archive = new ByteArrayOutputStream();
          byte[] header = new byte[512];
          byte[] name = "site/../../escaped.txt".getBytes(UTF_8);
          System.arraycopy(name, 0, header, 0, name.length);
          byte[] size = "00000000004\0".getBytes(UTF_8);
          System.arraycopy(size, 0, header, 124, size.length);
          header[156] = '0';
          archive.write(header);
          archive.write("evil".getBytes(UTF_8));
          archive.write(new byte[508 + 1024]);
          process.stdout().write(archive.toByteArray());
          return 0;
        });
    Path target = Files.createDirectories(tmp.resolve("in/target"));
    assertThatThrownBy(() -> kube.pod("default", "writer").copyFrom("/data/site", target))
        .isInstanceOf(DevkubeException.class)
        .hasMessageContaining("refused the archive entry");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    assertThat(tmp.resolve("in/escaped.txt")).doesNotExist();
  }

  @Test
  void testsPlugInTheirOwnCommandsAndPorts() throws Exception {
    cluster.onExec(
        "pg_isready",
        process -> {
          process.stdout().write("accepting connections\n".getBytes(UTF_8));
          return 0;
        });
    cluster.onPort(
        7000, (container, in, out) -> out.write(("hello from " + container.pod()).getBytes(UTF_8)));
    assertThat(kube.pod("default", "writer").exec("pg_isready").stdout())
        .isEqualTo("accepting connections\n");
    try (PortForward forward = kube.pod("default", "writer").portForward(7000);
        Socket socket = new Socket(forward.localAddress().getAddress(), forward.localPort())) {
      InputStream in = socket.getInputStream();
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("hello from writer");
    }
  }

  @Test
  void attachShowsTheMainProcessOutput() throws Exception {
    cluster.podLogs("default", "writer", "started\n");
    try (ExecSession attach = kube.pod("default", "writer").attach(ExecOptions.defaults())) {
      byte[] first = new byte[8];
      int n = attach.stdout().readNBytes(first, 0, 8);
      assertThat(new String(first, 0, n, UTF_8)).isEqualTo("started\n");
    }
  }

  @Test
  void manyParallelExecsAllFinish() throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<String> outputs = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 8; i++) {
      int n = i;
      Thread thread =
          new Thread(
              () -> outputs.add(kube.pod("default", "writer").exec("echo", "n" + n).stdout()));
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join(WAIT.toMillis());
    }
    assertThat(outputs).hasSize(8).contains("n0\n", "n7\n");
  }
}
