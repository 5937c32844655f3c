package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.InvalidException;
import dev.devkube.WaitTimeoutException;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.Watch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** devkube's own KubeClient driven through the fake, end to end over mutual TLS. */
class KubeClientOnFakeTest {
  private FakeKubernetes cluster;
  private KubeClient kube;

  @BeforeEach
  void start() {
    cluster = FakeKubernetes.start();
    kube = KubeClient.connect(cluster.credentials());
  }

  @AfterEach
  void stop() {
    kube.close();
    cluster.close();
  }

  private static KubeObject deployment(String name, String image) {
    return KubeObject.parseYaml(
            """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
        spec:
          replicas: 2
          selector:
            matchLabels: {app: %s}
          template:
            metadata:
              labels: {app: %s}
            spec:
              containers:
              - name: main
                image: %s
        """
                .formatted(name, name, name, image))
        .get(0);
  }

  @Test
  void applyThenWaitForTheRollout() {
    KubeObject applied = kube.resource(deployment("web", "nginx:1.27")).apply();
    KubeObject available =
        kube.resource(applied).waitUntil(Conditions.deploymentAvailable(), Duration.ofSeconds(10));

    assertThat(available.getLong("status.availableReplicas")).isEqualTo(2L);
    assertThat(kube.resources("v1", "Pod").withLabel("app", "web").names()).hasSize(2);
    assertThat(kube.resources("v1", "Node").names()).containsExactly("node-1", "node-2");
    KubeObject again = kube.resource(deployment("web", "nginx:1.27")).apply();
    assertThat(again.getString("spec.template.spec.containers[0].image")).isEqualTo("nginx:1.27");
  }

  @Test
  void aFailingImageTimesOutWithTheReason() {
    cluster.failImage("nginx:nope");
    kube.resource(deployment("bad", "nginx:nope")).apply();
    KubeObject pod = waitForPod("bad");

    assertThatThrownBy(
            () -> kube.resource(pod).waitUntil(Conditions.podRunning(), Duration.ofMillis(500)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessageContaining(
            "to be running; last state: Pending (main: ImagePullBackOff: Back-off pulling"
                + " image \"nginx:nope\")");
  }

  private KubeObject waitForPod(String app) {
    KubeObject probe = KubeObject.of("v1", "Pod", "unused");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      List<KubeObject> pods = kube.resources("v1", "Pod").withLabel("app", app).list().toList();
      if (!pods.isEmpty() && pods.get(0).getList("status.containerStatuses").size() > 0) {
        return pods.get(0);
      }
      Thread.onSpinWait();
    }
    return probe;
  }

  @Test
  void aTakenNodePortBecomesAnInvalidExceptionWithTheCause() {
    String service =
        """
        apiVersion: v1
        kind: Service
        metadata: {name: %s}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, nodePort: 30080}]
        """;
    kube.resource(KubeObject.parseYaml(service.formatted("web-service")).get(0)).apply();

    assertThatThrownBy(
            () -> kube.resource(KubeObject.parseYaml(service.formatted("other")).get(0)).apply())
        .isInstanceOfSatisfying(
            InvalidException.class,
            e ->
                assertThat(e.causes().get(0).message())
                    .isEqualTo("Invalid value: 30080: provided port is already allocated"));
  }

  @Test
  @SuppressWarnings("try") // the watch only has to stay open while the block asserts
  void aWatchSurvivesExpiryWithoutRepeatingEvents() throws Exception {
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    kube.resource(KubeObject.of("v1", "ConfigMap", "one")).create();
    try (Watch watch =
        kube.resources("v1", "ConfigMap")
            .watch(e -> events.add(e.type() + " " + e.object().name()))) {
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED one");
      cluster.expireWatches();
      kube.resource(KubeObject.of("v1", "ConfigMap", "two")).create();
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("ADDED two");
      kube.resource(KubeObject.of("v1", "ConfigMap", "one")).delete();
      assertThat(events.poll(5, TimeUnit.SECONDS)).isEqualTo("DELETED one");
      assertThat(events.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Test
  void tokenAuthAndNamespacesWork() {
    try (FakeKubernetes tokenCluster =
            FakeKubernetes.builder().token("s3cret").externalIps(false).start();
        KubeClient client = KubeClient.connect(tokenCluster.credentials())) {
      client.resource(KubeObject.of("v1", "Namespace", "team-a")).create();
      client.resource(KubeObject.of("v1", "ConfigMap", "c").namespace("team-a")).create();
      assertThat(client.resources("v1", "ConfigMap").inNamespace("team-a").names())
          .containsExactly("c");
      assertThat(client.resources("v1", "Node").list().toList().get(0).toJson())
          .doesNotContain("ExternalIP");
      assertThat(tokenCluster.requests()).isNotEmpty();
    }
  }

  @Test
  void pausedControllersLeaveDeploymentsWithoutPodsUntilResumed() {
    cluster.pause();
    kube.resource(deployment("slow", "nginx:1.27")).apply();
    assertThat(kube.resources("v1", "Pod").withLabel("app", "slow").names()).isEmpty();

    cluster.resume();
    kube.resource(deployment("slow", "nginx:1.27"))
        .waitUntil(Conditions.deploymentAvailable(), Duration.ofSeconds(10));
    assertThat(kube.resources("v1", "Pod").withLabel("app", "slow").names()).hasSize(2);
  }

  @Test
  void deletingANamespaceDeletesWhatIsInIt() {
    kube.resource(KubeObject.of("v1", "Namespace", "team-b")).create();
    KubeObject cm = KubeObject.of("v1", "ConfigMap", "c").namespace("team-b");
    kube.resource(cm).create();

    kube.resource(KubeObject.of("v1", "Namespace", "team-b")).delete();

    kube.resource(cm).waitUntil(Conditions.deleted(), Duration.ofSeconds(5));
    assertThat(cluster.objects("v1", "ConfigMap", "team-b")).isEmpty();
  }
}
