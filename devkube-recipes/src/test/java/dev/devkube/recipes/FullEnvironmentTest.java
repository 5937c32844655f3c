package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ProgressListener;
import dev.devkube.WaitFailedException;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.testkit.FakeKubernetes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The environment with the IDE, toolbox, Postgres and Redis, deployed into FakeKubernetes. */
class FullEnvironmentTest {
  private static final String KEY = Keys.ed25519("dev@laptop");
  private FakeKubernetes cluster;
  private KubeClient kube;

  @BeforeEach
  void start() {
    cluster =
        FakeKubernetes.builder()
            .storageClasses("do-block-storage")
            .podStartDelay(Duration.ofMillis(20))
            .start();
    kube = KubeClient.connect(cluster.credentials());
  }

  @AfterEach
  void stop() {
    kube.close();
    cluster.close();
  }

  private DevEnvironment.Builder full(String namespace) {
    return DevEnvironment.in(kube)
        .namespace(namespace)
        .sshKeys(KEY)
        .timeout(Duration.ofSeconds(10))
        .ide()
        .toolbox()
        .postgres()
        .redis()
        .nodePorts();
  }

  private KubeObject object(String apiVersion, String kind, String namespace, String name) {
    return KubeObject.from(cluster.object(apiVersion, kind, namespace, name).orElseThrow());
  }

  private String secret(String namespace, String name, String key) {
    return new String(
        Base64.getDecoder()
            .decode(object("v1", "Secret", namespace, name).getString("data." + key)),
        StandardCharsets.UTF_8);
  }

  @Test
  void deploysEveryPartAndReportsHowToReachIt() {
    DevEnvironment env = full("default").deploy(ProgressListener.none());

    IdeAccess ide = env.ide().orElseThrow();
    assertThat(ide.url()).isEqualTo("http://203.0.113.7:30030");
    assertThat(ide.password()).hasValue(secret("default", "ide-password", "password"));
    assertThat(ide.passwordCommand())
        .hasValue(
            "kubectl -n default get secret ide-password -o jsonpath='{.data.password}' | base64 -d");
    assertThat(env.postgres().orElseThrow().connectionString())
        .isEqualTo("postgresql://dev@postgres.default.svc.cluster.local:5432/dev");
    assertThat(env.redis().orElseThrow().secretName()).isEqualTo("redis-credentials");
    assertThat(env.toolbox().orElseThrow())
        .isEqualTo(
            new ToolboxAccess(
                "ssh -J dev@203.0.113.7:30022 dev@toolbox-service.default.svc.cluster.local",
                "kubectl -n default exec -it deploy/toolbox -- sh"));
    assertThat(env.tunnelCommand()).isEmpty();
    assertThat(
            object("apps/v1", "Deployment", "default", "ide")
                .getString("spec.template.spec.volumes[0].nfs.server"))
        .isEqualTo(env.nfs().server());
    for (String internal : List.of("postgres", "redis", "toolbox-service")) {
      assertThat(object("v1", "Service", "default", internal).getString("spec.type"))
          .as(internal)
          .isEqualTo("ClusterIP");
    }
    assertThat(
            object("networking.k8s.io/v1", "NetworkPolicy", "default", "nfs-access")
                .getList("spec.ingress[0].from"))
        .contains(
            Map.of("ipBlock", Map.of("cidr", "10.0.0.1/32")),
            Map.of("ipBlock", Map.of("cidr", "10.0.0.2/32")));
    // The toolbox is reached through sshd, which must forward for it.
    assertThat(object("v1", "ConfigMap", "default", "sshd-config").getString("data[\"jump.conf\"]"))
        .contains("AllowTcpForwarding local\n");
    SshHostKeys hostKeys = env.sshHostKeys().orElseThrow();
    String stored =
        new String(
            Base64.getDecoder()
                .decode(
                    object("v1", "Secret", "default", "sshd-host-keys")
                        .getString("data[\"ssh_host_ed25519_key.pub\"]")),
            StandardCharsets.UTF_8);
    assertThat(hostKeys.publicKey()).isEqualTo(stored.strip());
    assertThat(hostKeys.fingerprint()).isEqualTo(HostKeys.fingerprint(stored));
    assertThat(hostKeys.knownHosts())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("[203.0.113.7]:30022");
    assertThat(hostKeys.knownHosts().get(1))
        .startsWith("toolbox-service.default.svc.cluster.local ssh-ed25519 ");
    EnvironmentStatus status = full("default").status();
    assertThat(status.isReady()).isTrue();
    assertThat(status.parts())
        .extracting(EnvironmentStatus.Part::name)
        .contains("ide", "toolbox", "postgres", "redis", "postgres-data", "nfs-access");
  }

  @Test
  void deployingAgainKeepsThePasswordsAndChangesNothing() {
    DevEnvironment first = full("default").deploy(ProgressListener.none());
    Map<String, String> before = EnvironmentObjects.versions(cluster, "default");
    String postgresPassword = secret("default", "postgres-credentials", "password");

    DevEnvironment second = full("default").deploy(ProgressListener.none());

    assertThat(before).hasSize(24);
    assertThat(EnvironmentObjects.versions(cluster, "default")).isEqualTo(before);
    assertThat(second.sshHostKeys()).isEqualTo(first.sshHostKeys());
    assertThat(first.ide().orElseThrow().password()).isPresent();
    assertThat(second.ide().orElseThrow().password()).isEmpty();
    assertThat(secret("default", "postgres-credentials", "password")).isEqualTo(postgresPassword);
  }

  @Test
  void aGivenPasswordThatDiffersFromTheStoredOneIsRefusedWithoutShowingEither() {
    full("default").deploy(ProgressListener.none());
    String given = "another-password-42";

    assertThatThrownBy(
            () ->
                full("default")
                    .postgres(Postgres.create().password(given))
                    .deploy(ProgressListener.none()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Secret postgres-credentials in namespace default already holds another password")
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .doesNotContain(given)
                    .doesNotContain(secret("default", "postgres-credentials", "password")));
    String stored = secret("default", "ide-password", "password");
    assertThat(
            full("default")
                .ide(IdeServer.create().password(stored))
                .deploy(ProgressListener.none())
                .ide()
                .orElseThrow()
                .password())
        .isEmpty();
  }

  @Test
  void generatedSecretsDifferBetweenEnvironmentsAndStayOutOfLogsAndText() {
    List<String> messages = new ArrayList<>();
    ProgressListener listener = progress -> messages.add(progress.toString());
    PrintStream err = System.err;
    ByteArrayOutputStream logged = new ByteArrayOutputStream();
    DevEnvironment one;
    DevEnvironment two;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
    try {
      one = full("alice").name("alice").autoNodePorts().deploy(ProgressListener.toLog());
      two = full("bob").name("bob").autoNodePorts().deploy(listener);
    } finally {
      System.setErr(err);
    }

    List<String> passwords = new ArrayList<>();
    for (String namespace : List.of("alice", "bob")) {
      passwords.add(secret(namespace, "ide-password", "password"));
      passwords.add(secret(namespace, "postgres-credentials", "password"));
      passwords.add(secret(namespace, "redis-credentials", "password"));
    }
    assertThat(passwords).doesNotHaveDuplicates();
    String text =
        String.join("\n", messages)
            + logged.toString(StandardCharsets.UTF_8)
            + one
            + two
            + one.ide().orElseThrow()
            + two.ide().orElseThrow()
            + one.postgres().orElseThrow();
    assertThat(logged.toString(StandardCharsets.UTF_8)).contains("environment alice");
    assertThat(messages).isNotEmpty();
    assertThat(passwords).allSatisfy(p -> assertThat(text).doesNotContain(p));
  }

  @Test
  void sshOnlyPutsNothingButSshdOnTheNodes() {
    DevEnvironment env = full("default").sshOnly().deploy(ProgressListener.none());

    for (String service : List.of("web-service", "ide-service")) {
      assertThat(object("v1", "Service", "default", service).getString("spec.type"))
          .as(service)
          .isEqualTo("ClusterIP");
    }
    assertThat(env.webUrl()).isEqualTo("http://localhost:8080");
    assertThat(env.webNodePort()).isZero();
    assertThat(env.ide().orElseThrow().url()).isEqualTo("http://localhost:3000");
    assertThat(env.tunnelCommand())
        .hasValue(
            "ssh -p 30022 -N -L 8080:web-service.default.svc.cluster.local:80"
                + " -L 3000:ide-service.default.svc.cluster.local:8080 dev@203.0.113.7");
  }

  @Test
  void theClassicIdeIsCodeServerWithItsPasswordOnTheOriginalsNodePort() {
    DevEnvironment env =
        DevEnvironment.in(kube)
            .classic()
            .sshKeys(KEY)
            .nfs(NfsServer.create())
            .timeout(Duration.ofSeconds(10))
            .ide()
            .deploy(ProgressListener.none());

    IdeAccess ide = env.ide().orElseThrow();
    assertThat(ide.authenticated()).isTrue();
    assertThat(ide.url()).isEqualTo("http://203.0.113.7:30030");
    assertThat(env.webUrl()).isEqualTo("http://203.0.113.7:30080");
    assertThat(cluster.object("v1", "Secret", "default", "ide-password")).isPresent();
  }

  @Test
  void teardownKeepsTheDataAndTheCredentialsItNeedsWhenAsked() {
    full("default").deploy(ProgressListener.none());

    full("default").teardown(true);

    assertThat(EnvironmentObjects.versions(cluster, "default"))
        .containsOnlyKeys(
            "PersistentVolumeClaim/nfs-pvc",
            "PersistentVolumeClaim/postgres-data",
            "PersistentVolumeClaim/redis-data",
            "Secret/postgres-credentials",
            "Secret/redis-credentials",
            "Secret/sshd-host-keys");
    assertThat(full("default").teardown(false)).isEqualTo(6);
    assertThat(EnvironmentObjects.versions(cluster, "default")).isEmpty();
  }

  @Test
  void aPartThatCannotStartIsReportedAtOnceAndTheOthersAreNotAwaited() {
    cluster.failImage(IdeServer.CODE_SERVER_IMAGE);
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> full("default").timeout(Duration.ofMinutes(5)).deploy(ProgressListener.none()))
        .isInstanceOf(WaitFailedException.class)
        .hasMessageStartingWith("gave up waiting for Deployment default/ide to be available")
        .hasMessageContaining("cannot pull " + IdeServer.CODE_SERVER_IMAGE);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void aMissingStorageClassForTheDatabaseIsNamedFirst() {
    int before = cluster.requests().size();

    assertThatThrownBy(
            () ->
                full("default")
                    .postgres(Postgres.create().storageClass("fast"))
                    .deploy(ProgressListener.none()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("PVC postgres-data would stay Pending: no storage class \"fast\"")
        .hasMessageEndingWith(
            "set Postgres.create().storageClass(...), or null for the default class");
    assertThat(cluster.requests().subList(before, cluster.requests().size()))
        .noneMatch(r -> r.method().equals("POST") || r.method().equals("PATCH"));
  }
}
