package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ProgressListener;
import dev.devkube.k8s.Condition;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.ExecSession;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.Patch;
import dev.devkube.k8s.PortForward;
import dev.devkube.testkit.FakeKubernetes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exec, shell, forward, the share's upload and download, and verify() on a deployed environment.
 */
class ReachInsideTest {
  private FakeKubernetes cluster;
  private KubeClient kube;
  private DevEnvironment env;

  @BeforeEach
  void start() {
    cluster =
        FakeKubernetes.builder()
            .storageClasses("do-block-storage")
            .podStartDelay(Duration.ofMillis(20))
            .start();
    kube = KubeClient.connect(cluster.credentials());
    env =
        DevEnvironment.in(kube)
            .sshKeys(Keys.ed25519("dev@laptop"))
            .timeout(Duration.ofSeconds(20))
            .ide()
            .toolbox()
            .postgres()
            .redis()
            .deploy(ProgressListener.none());
  }

  @AfterEach
  void stop() {
    kube.close();
    cluster.close();
  }

  @Test
  void aFileUploadedToTheShareIsServedOverAForwardedPort(@TempDir Path tmp) throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<h1>from my laptop</h1>");
    env.share().upload(site, "");
    assertThat(env.exec(Part.TOOLBOX, "cat", "/mnt/nfs/site/index.html").stdout())
        .isEqualTo("<h1>from my laptop</h1>");
    try (PortForward web = env.forward(Part.WEB)) {
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(web.url() + "/site/")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.body()).isEqualTo("<h1>from my laptop</h1>");
    }
    Path back = tmp.resolve("back");
    env.share().download("site", back);
    assertThat(Files.readString(back.resolve("index.html"))).isEqualTo("<h1>from my laptop</h1>");
    assertThatThrownBy(() -> env.share().upload(site, "../etc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stays inside");
  }

  @Test
  void aShellTakesCommands() throws Exception {
    try (ExecSession sh = env.shell(Part.SSH)) {
      sh.stdin().write("ls /mnt\nexit 0\n".getBytes(StandardCharsets.UTF_8));
      sh.stdin().close();
      assertThat(new String(sh.stdout().readAllBytes(), StandardCharsets.UTF_8)).contains("nfs");
      assertThat(sh.waitFor(Duration.ofSeconds(20))).isZero();
    }
  }

  @Test
  void verifyPassesOnAWorkingEnvironmentAndLeavesNothingBehind() throws Exception {
    VerifyReport report = env.verify();
    assertThat(report.failures()).isEmpty();
    assertThat(report.passed()).isTrue();
    assertThat(report.checks())
        .extracting(VerifyReport.Check::name)
        .contains(
            "SSH pods ready",
            "share writable through sshd",
            "share mounted in WEB",
            "share mounted in IDE",
            "share mounted in TOOLBOX",
            "Redis reachable from the toolbox",
            "Postgres reachable from the toolbox",
            "web serves the share",
            "IDE asks for its password",
            "IDE lets in with its password",
            "Redis answers",
            "Postgres answers",
            "ssh host key kept",
            "ssh settings mounted");
    assertThat(env.exec(Part.SSH, "ls", "/mnt/nfs").stdout()).doesNotContain("devkube-verify");
    // The key is mounted as the pod spec says: only the listed keys, mode 0440 (decimal 288).
    assertThat(env.exec(Part.SSH, "ls", "/config/ssh_host_keys").stdout())
        .isEqualTo("ssh_host_ed25519_key\nssh_host_ed25519_key.pub\n");
    assertThat(
            env.exec(Part.SSH, "sh", "-c", "ls -l /config/ssh_host_keys/ssh_host_ed25519_key")
                .stdout())
        .startsWith("-r--r-----");
  }

  @Test
  void verifyNoticesAnSshdThatServesAnotherHostKey() throws InterruptedException {
    kube.resource(KubeObject.of("v1", "Secret", "sshd-host-keys").namespace("default"))
        .patch(
            Patch.mergeJson(
                "{\"data\":{\"ssh_host_ed25519_key.pub\":\""
                    + Base64.getEncoder()
                        .encodeToString(
                            HostKeys.generate("other").publicKey().getBytes(StandardCharsets.UTF_8))
                    + "\"}}"));
    String old = String.valueOf(env.pods(Part.SSH).get(0).name());
    kube.resource(KubeObject.of("v1", "Pod", old).namespace("default")).delete();
    // The replacement pod mounts the Secret as it is now; wait (bounded) until it is ready.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (env.pods(Part.SSH).stream()
        .noneMatch(
            pod ->
                !old.equals(pod.name())
                    && Conditions.podReady().check(pod).outcome() == Condition.Outcome.MET)) {
      assertThat(System.nanoTime() - deadline)
          .as("a ready sshd pod other than " + old)
          .isNegative();
      Thread.sleep(50);
    }

    VerifyReport report = env.verify();
    assertThat(report.failures())
        .extracting(VerifyReport.Check::name)
        .containsExactly("ssh host key kept");
  }

  @Test
  void verifyNamesWhatIsBroken() {
    // The IDE answers without a password, as a misconfigured one would.
    cluster.onPort(
        8080,
        (container, in, out) -> {
          readRequest(in); // all of it, so that the client is not cut off while it still sends
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                  .getBytes(StandardCharsets.UTF_8));
        });
    // And Redis's Service is gone: the toolbox can no longer resolve it.
    kube.resource(KubeObject.of("v1", "Service", "redis").namespace("default")).delete();
    VerifyReport report = env.verify();
    assertThat(report.passed()).isFalse();
    assertThat(report.failures())
        .extracting(VerifyReport.Check::name)
        .containsExactlyInAnyOrder(
            "IDE asks for its password",
            "IDE lets in with its password",
            "Redis reachable from the toolbox");
    assertThat(report.toString()).contains("does not resolve: is the Service there?");
    assertThat(report.toString()).contains("FAILED  IDE asks for its password");
  }

  @Test
  void aPartThatIsNotDeployedIsNamed() {
    List<KubeObject> pods = new ArrayList<>();
    kube.resources("v1", "Pod")
        .inNamespace("default")
        .withLabel("role", "toolbox")
        .list()
        .forEach(pods::add);
    kube.resources("apps/v1", "Deployment").inNamespace("default").delete();
    // The garbage collector removes the pods after their Deployment: wait for it.
    for (KubeObject pod : pods) {
      kube.resource(pod).waitUntil(Conditions.deleted(), Duration.ofSeconds(30));
    }
    assertThatThrownBy(() -> env.exec(Part.TOOLBOX, "ls"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no ready pod of TOOLBOX");
  }

  @Test
  void logsOfEveryPartAreMergedInTimeOrder() throws Exception {
    String web = env.pod(Part.WEB).toString().replaceAll(".*/|\\]", "");
    String ssh = env.pod(Part.SSH).toString().replaceAll(".*/|\\]", "");
    cluster.podLogs("default", web, "GET / 200\nGET /x 404\n");
    cluster.podLogs("default", ssh, "Server listening on 0.0.0.0 port 2222.\n");
    String logs = env.logs();
    assertThat(logs)
        .contains("web      | GET / 200\nweb      | GET /x 404\n")
        .contains("ssh      | Server listening on 0.0.0.0 port 2222.\n");

    List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> expected =
        List.of("web      | GET /x 404", "ssh      | Server listening on 0.0.0.0 port 2222.");
    EnvironmentLogs follow = env.followLogs(lines::add);
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (!lines.containsAll(expected) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      cluster.podLogs("default", web, "GET / 200\nGET /x 404\nGET /later 200\n");
      while (!lines.contains("web      | GET /later 200") && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(lines).containsAll(expected).contains("web      | GET /later 200");
      // A followed log stays open while its pod runs, on the fake as on a cluster.
      assertThat(follow.awaitEnd(200)).isFalse();
    } finally {
      follow.close();
    }
    assertThat(follow.awaitEnd(30_000)).as("closing ends every reader").isTrue();
  }

  @Test
  void forwardOnlyOpensNoNodePortButSshs() throws Exception {
    DevEnvironment forwarded =
        DevEnvironment.in(kube)
            .namespace("fwd")
            .sshKeys(Keys.ed25519("dev@laptop"))
            .timeout(Duration.ofSeconds(20))
            .ide()
            .forwardOnly()
            .autoNodePorts()
            .deploy(ProgressListener.none());
    assertThat(forwarded.exposure()).isEqualTo(Exposure.FORWARD);
    assertThat(forwarded.webUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(forwarded.ide().orElseThrow().url()).isEqualTo("http://127.0.0.1:3000");
    assertThat(forwarded.tunnelCommand()).isEmpty();
    for (String service : List.of("web-service", "ide-service")) {
      assertThat(
              KubeObject.from(cluster.object("v1", "Service", "fwd", service).orElseThrow())
                  .getString("spec.type"))
          .as(service)
          .isEqualTo("ClusterIP");
    }
    assertThat(
            KubeObject.from(cluster.object("v1", "Service", "fwd", "sshd-service").orElseThrow())
                .getString("spec.type"))
        .isEqualTo("NodePort");
    int free;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    try (PortForward ide = forwarded.forward(Part.IDE, free)) {
      assertThat(ide.localPort()).isEqualTo(free);
      HttpResponse<String> login =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(ide.url() + "/")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(302);
    }
    assertThat(forwarded.verify().passed()).isTrue();
  }

  /** Reads one HTTP request: the head up to the empty line, then Content-Length bytes of body. */
  private static void readRequest(java.io.InputStream in) throws java.io.IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.toString().endsWith("\r\n\r\n")) {
        break;
      }
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
  }
}
