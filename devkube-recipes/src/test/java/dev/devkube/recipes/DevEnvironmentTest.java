package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ProgressListener;
import dev.devkube.WaitFailedException;
import dev.devkube.WaitTimeoutException;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.testkit.FakeKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole environment deployed into FakeKubernetes. */
class DevEnvironmentTest {
  private static final String KEY = Keys.ed25519("dev@laptop");
  @TempDir Path tmp;
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

  private DevEnvironment.Builder environment() {
    return DevEnvironment.in(kube).sshKeys(KEY).timeout(Duration.ofSeconds(10)).nodePorts();
  }

  private Map<String, @Nullable Object> object(String apiVersion, String kind, String name) {
    return cluster.object(apiVersion, kind, "default", name).orElseThrow();
  }

  @Test
  void deployWiresTheNfsServiceAddressIntoSshdAndNginx() {
    DevEnvironment env = environment().deploy(ProgressListener.none());

    String clusterIp =
        KubeObject.from(object("v1", "Service", "nfs-service")).getString("spec.clusterIP");
    assertThat(clusterIp).isNotNull();
    assertThat(env.nfs()).isEqualTo(new NfsShare(clusterIp, "/"));
    for (String deployment : List.of("sshd", "nginx")) {
      KubeObject d = KubeObject.from(object("apps/v1", "Deployment", deployment));
      assertThat(d.getString("spec.template.spec.volumes[0].nfs.server"))
          .as(deployment)
          .isEqualTo(clusterIp);
    }
    assertThat(env.sshCommand()).isEqualTo("ssh -p 30022 dev@203.0.113.7");
    assertThat(env.webUrl()).isEqualTo("http://203.0.113.7:30080");
    assertThat(env.accessIps()).containsExactly("203.0.113.7", "203.0.113.8");
    assertThat(env.warnings())
        .singleElement()
        .asString()
        .startsWith("the web server (the share's files) and the IDE's login are on node ports");
    assertThat(env.classicMessages())
        .containsExactly(
            "nfs running in cluster on " + clusterIp,
            "ssh accessible on port 30022 on IPs ['203.0.113.7', '203.0.113.8']",
            "web server accessible at http://203.0.113.7:30080");
    assertThat(environment().status().isReady()).isTrue();
  }

  @Test
  void statusListsWhatExistsByItsLabelsWithoutAnSshKey() {
    EnvironmentStatus before = DevEnvironment.in(kube).status();
    assertThat(before.isReady()).isFalse();
    assertThat(before.toString())
        .isEqualTo(
            "environment devkube in namespace default: nothing deployed, on 203.0.113.7, 203.0.113.8\n");
    DevEnvironment.in(kube)
        .sshKeys(KEY)
        .timeout(Duration.ofSeconds(10))
        .ide()
        .deploy(ProgressListener.none());

    // Another program asks, knowing nothing of the key or the parts: it sees the IDE too.
    EnvironmentStatus status = DevEnvironment.in(kube).status();
    assertThat(status.isReady()).isTrue();
    assertThat(status.parts())
        .extracting(p -> p.kind() + "/" + p.name())
        .contains(
            "Deployment/ide",
            "Deployment/nfs",
            "PersistentVolumeClaim/nfs-pvc",
            "Secret/ide-password");
    assertThat(status.toString())
        .startsWith(
            "environment devkube in namespace default: ready, on 203.0.113.7, 203.0.113.8\n")
        .containsPattern("\n  KIND +NAME +STATE\n")
        .containsPattern("\n  Deployment +ide +ready\n");
    // The builder that knows the plan names what it would add and is missing.
    EnvironmentStatus planned = DevEnvironment.in(kube).sshKeys(KEY).redis().status();
    assertThat(planned.isReady()).isFalse();
    assertThat(planned.toString()).containsPattern("\n  Deployment +redis +missing\n");
  }

  @Test
  void byDefaultNothingButSshdListensOnTheNodes() {
    DevEnvironment env =
        DevEnvironment.in(kube)
            .sshKeys(KEY)
            .timeout(Duration.ofSeconds(10))
            .ide()
            .deploy(ProgressListener.none());

    assertThat(env.exposure()).isEqualTo(Exposure.FORWARD);
    assertThat(env.warnings()).isEmpty();
    assertThat(env.webUrl()).isEqualTo("http://127.0.0.1:8080");
    assertThat(env.ide().orElseThrow().url()).isEqualTo("http://127.0.0.1:3000");
    assertThat(cluster.objects("v1", "Service", "default"))
        .filteredOn(service -> "NodePort".equals(KubeObject.from(service).getString("spec.type")))
        .extracting(service -> KubeObject.from(service).name())
        .containsExactly("sshd-service");
    assertThat(env.sshHostKeys()).isPresent();
  }

  @Test
  void theDeployedEnvironmentKnowsItsSpecReportsAndTearsItselfDown() {
    DevEnvironment.Builder builder = environment();
    EnvironmentSpec spec = builder.spec();
    DevEnvironment env = builder.deploy(ProgressListener.none());
    builder.name("changed-later");

    assertThat(env.spec()).isEqualTo(spec);
    assertThat(spec.name()).isEqualTo("devkube");
    assertThat(spec.toString()).contains("1 key(s)").doesNotContain("AAAA");
    assertThat(env.status().isReady()).isTrue();
    assertThat(env.status().parts())
        .extracting(EnvironmentStatus.Part::name)
        .contains("sshd-host-keys", "sshd-config", "nfs-access");
    assertThat(env.teardown(false)).isEqualTo(11);
    assertThat(EnvironmentObjects.versions(cluster, "default")).isEmpty();
    assertThat(env.status().parts()).noneMatch(EnvironmentStatus.Part::exists);
  }

  @Test
  void eachRecipeNamesItsObjects() {
    RecipeContext context = new RecipeContext("default", "devkube", Profile.DEFAULT);
    NfsServer.Objects nfs = NfsServer.create().objects(context);
    SshServer.Objects ssh =
        SshServer.create().objects(context, new NfsShare("10.96.0.10", "/"), List.of(KEY));
    DataStore.Objects db = Postgres.create().objects(context);

    assertThat(List.of(nfs.claim().name(), nfs.deployment().name(), nfs.service().name()))
        .containsExactly("nfs-pvc", "nfs", "nfs-service");
    assertThat(ssh.hostKeys()).isNotNull();
    assertThat(ssh.applied()).doesNotContain(ssh.hostKeys()).contains(ssh.settings());
    assertThat(List.of(db.secret().name(), db.claim().name(), db.deployment().name()))
        .containsExactly("postgres-credentials", "postgres-data", "postgres");
    SshServer.Objects classic =
        SshServer.create()
            .objects(
                new RecipeContext("default", "devkube", Profile.CLASSIC),
                new NfsShare("10.96.0.10", "/"),
                List.of(KEY));
    assertThat(classic.hostKeys()).isNull();
    assertThat(classic.settings()).isNull();
    assertThat(classic.all()).hasSize(3);
  }

  @Test
  void deployingTwiceChangesNothing() {
    environment().deploy(ProgressListener.none());
    Map<String, String> before = EnvironmentObjects.versions(cluster, "default");

    environment().deploy(ProgressListener.none());

    assertThat(before).hasSize(11).containsKeys("Secret/sshd-host-keys", "ConfigMap/sshd-config");
    assertThat(EnvironmentObjects.versions(cluster, "default")).isEqualTo(before);
  }

  @Test
  void changingAnOptionUpdatesOnlyWhatItAffects() {
    environment().deploy(ProgressListener.none());
    Map<String, String> before = EnvironmentObjects.versions(cluster, "default");

    DevEnvironment env =
        environment().web(WebServer.create().nodePort(30081)).deploy(ProgressListener.none());

    Map<String, String> after = EnvironmentObjects.versions(cluster, "default");
    assertThat(env.webUrl()).endsWith(":30081");
    assertThat(after).hasSameSizeAs(before);
    before.forEach(
        (key, version) -> {
          if (key.equals("Service/web-service")) {
            assertThat(after.get(key)).as(key).isNotEqualTo(version);
          } else {
            assertThat(after.get(key)).as(key).isEqualTo(version);
          }
        });
  }

  @Test
  void teardownRemovesEverythingButTheDataWhenAsked() {
    environment().deploy(ProgressListener.none());

    assertThat(environment().teardown(true)).isEqualTo(9);
    assertThat(EnvironmentObjects.versions(cluster, "default"))
        .containsOnlyKeys("PersistentVolumeClaim/nfs-pvc", "Secret/sshd-host-keys");
    assertThat(environment().teardown(false)).isEqualTo(2);
    assertThat(EnvironmentObjects.versions(cluster, "default")).isEmpty();
  }

  @Test
  void anImageTheRegistryDoesNotHaveEndsTheDeployAtOnceWithTheReason() {
    cluster.failImage(Profile.DEFAULT.nfsImage());
    long start = System.nanoTime();

    assertThatThrownBy(
            () -> environment().timeout(Duration.ofMinutes(5)).deploy(ProgressListener.none()))
        .isInstanceOf(WaitFailedException.class)
        .hasMessageStartingWith(
            "gave up waiting for Deployment default/nfs to be available: state ImagePullBackOff:"
                + " pod nfs-")
        .hasMessageContaining("cannot pull registry.k8s.io/e2e-test-images/volume/nfs:1.4")
        .hasMessageEndingWith(": not found");
    // Not the five minutes of the timeout: a pull the registry refused does not get better.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
  }

  @Test
  void aPartThatIsSlowToStartTimesOutWithWhatItsPodsAreDoing() {
    try (FakeKubernetes slow =
            FakeKubernetes.builder()
                .storageClasses("do-block-storage")
                .podStartDelay(Duration.ofMinutes(10))
                .start();
        KubeClient slowKube = KubeClient.connect(slow.credentials())) {
      assertThatThrownBy(
              () ->
                  DevEnvironment.in(slowKube)
                      .sshKeys(KEY)
                      .timeout(Duration.ofSeconds(1))
                      .deploy(ProgressListener.none()))
          .isInstanceOf(WaitTimeoutException.class)
          .hasMessageStartingWith("timed out after 1s waiting for ");
    }
  }

  @Test
  void aMalformedImageIsRefusedBeforeAnythingIsSent() {
    int before = cluster.requests().size();
    Profile broken =
        new Profile(
            "custom",
            Profile.DEFAULT.nfsImage(),
            "/exports",
            "Registry.example/Sshd:1",
            "dev",
            2222,
            Profile.DEFAULT.webImage());

    assertThatThrownBy(() -> environment().profile(broken).deploy(ProgressListener.none()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "image \"Registry.example/Sshd:1\" of Deployment sshd is not a valid image reference");
    assertThat(cluster.requests().subList(before, cluster.requests().size())).isEmpty();
  }

  @Test
  void aTakenNodePortIsNamedOrAvoided() {
    kube.resource(KubeObject.of("v1", "Namespace", "team-a")).create();
    kube.resource(
            KubeObject.parseYaml(
                    """
        apiVersion: v1
        kind: Service
        metadata: {name: web-service, namespace: team-a}
        spec: {type: NodePort, selector: {app: x}, ports: [{port: 80, nodePort: 30080}]}
        """)
                .get(0))
        .create();

    assertThatThrownBy(() -> environment().deploy(ProgressListener.none()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "30080 is used by Service web-service in namespace team-a: give web-service another"
                + " node port, or call autoNodePorts() to let devkube pick a free one");
    assertThat(environment().autoNodePorts().deploy(ProgressListener.none()).webNodePort())
        .isEqualTo(30081);
  }

  @Test
  void twoEnvironmentsInTwoNamespacesCoexist() {
    DevEnvironment one =
        environment()
            .namespace("alice")
            .name("alice")
            .autoNodePorts()
            .deploy(ProgressListener.none());
    DevEnvironment two =
        environment().namespace("bob").name("bob").autoNodePorts().deploy(ProgressListener.none());

    assertThat(List.of(one.sshNodePort(), one.webNodePort(), two.sshNodePort(), two.webNodePort()))
        .doesNotHaveDuplicates();
    assertThat(one.nfs().server()).isNotEqualTo(two.nfs().server());
  }

  @Test
  void badKeysAreRefusedBeforeAnyRequest() throws Exception {
    Path missing = tmp.resolve("id_ed25519.pub");
    Path privateKey =
        Files.writeString(
            tmp.resolve("id_ed25519"),
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n-----END OPENSSH PRIVATE KEY-----\n");
    Path empty = Files.writeString(tmp.resolve("empty.pub"), "\n");
    int before = cluster.requests().size();

    assertThatThrownBy(() -> DevEnvironment.in(kube).sshKey(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "ssh public key file "
                + missing
                + " does not exist: create one with ssh-keygen -t"
                + " ed25519, or give another file");
    assertThatThrownBy(() -> DevEnvironment.in(kube).sshKey(privateKey))
        .hasMessage(
            privateKey
                + " holds a private key: give the public key (the .pub file), never the"
                + " private one");
    assertThatThrownBy(() -> DevEnvironment.in(kube).sshKey(empty))
        .hasMessage(
            empty
                + " holds no ssh public key: expected a line such as \"ssh-ed25519 AAAAC3..."
                + " you@host\"");
    assertThatThrownBy(() -> DevEnvironment.in(kube).sshKeys("ssh-ed25519 bm90IGEga2V5 x"))
        .hasMessage("the given ssh keys line 1: the key data does not match its type ssh-ed25519");
    assertThatThrownBy(() -> DevEnvironment.in(kube).deploy(ProgressListener.none()))
        .hasMessage("no ssh public key: call sshKey(Path) or sshKeys(String) before deploy()");
    assertThat(cluster.requests()).hasSize(before);
  }

  @Test
  void aMissingStorageClassIsNamedBeforeWaiting() {
    try (FakeKubernetes plain = FakeKubernetes.start();
        KubeClient other = KubeClient.connect(plain.credentials())) {
      assertThatThrownBy(
              () -> DevEnvironment.in(other).sshKeys(KEY).deploy(ProgressListener.none()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "PVC nfs-pvc would stay Pending: no storage class \"do-block-storage\" in this"
                  + " cluster (it has standard): set NfsServer.create().storageClass(...), or null for the"
                  + " default class");
      DevEnvironment env =
          DevEnvironment.in(other)
              .sshKeys(KEY)
              .nfs(NfsServer.create().storageClass(null))
              .timeout(Duration.ofSeconds(10))
              .deploy(ProgressListener.none());
      assertThat(env.nfs().server()).startsWith("10.96.");
    }
  }

  @Test
  void clustersWithoutExternalIpsFallBackToInternalOnesWithAWarning() {
    try (FakeKubernetes kind = FakeKubernetes.builder().externalIps(false).start();
        KubeClient other = KubeClient.connect(kind.credentials())) {
      DevEnvironment env =
          DevEnvironment.in(other)
              .sshKeys(KEY)
              .nfs(NfsServer.create().storageClass(null))
              .timeout(Duration.ofSeconds(10))
              .deploy(ProgressListener.none());
      assertThat(env.accessIps()).containsExactly("10.0.0.1", "10.0.0.2");
      assertThat(env.warnings())
          .containsExactly(
              "no node has an external IP (kind, minikube?): using"
                  + " internal IPs [10.0.0.1, 10.0.0.2], reachable only from the nodes' network");
    }
  }
}
