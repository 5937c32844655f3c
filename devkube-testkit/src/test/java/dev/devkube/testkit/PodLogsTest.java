package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.ExecOptions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.LogOptions;
import dev.devkube.k8s.LogStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which container a pod's log (and exec) means, as the API server decides it: Kubernetes {@code
 * pkg/registry/core/pod/strategy.go}, {@code validateContainer}, whose messages these are; and a
 * followed log, which stays open while the container runs, as the kubelet's does.
 */
class PodLogsTest {
  private static final String END = "(end of stream)";

  private FakeKubernetes cluster;
  private KubeClient kube;

  @BeforeEach
  void start() {
    cluster = FakeKubernetes.start();
    kube = KubeClient.connect(cluster.credentials());
    for (KubeObject pod :
        KubeObject.parseYaml(
            """
        apiVersion: v1
        kind: Pod
        metadata: {name: two, namespace: default}
        spec:
          initContainers: [{name: prepare, image: busybox:1.36}]
          containers:
          - {name: app, image: nginx:1.27}
          - {name: proxy, image: envoyproxy/envoy:v1.31.0}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: one, namespace: default}
        spec:
          initContainers: [{name: prepare, image: busybox:1.36}]
          containers: [{name: app, image: nginx:1.27}]
        """)) {
      kube.resource(pod).apply();
    }
    cluster.podLogs("default", "two", "hello\n").podLogs("default", "one", "hi\n");
  }

  @AfterEach
  void stop() {
    kube.close();
    cluster.close();
  }

  @Test
  void aPodWithOneContainerNeedsNoName() {
    assertThat(kube.pod("default", "one").logs(LogOptions.all())).isEqualTo("hi\n");
    assertThat(kube.pod("default", "one").logs(LogOptions.all().container("prepare")))
        .isEqualTo("hi\n");
  }

  @Test
  void aPodWithSeveralContainersNeedsOneNamedAndListsThemAll() {
    assertThatThrownBy(() -> kube.pod("default", "two").logs(LogOptions.all()))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(400);
              assertThat(e.reason()).isEqualTo("BadRequest");
            })
        .hasMessageContaining(
            "a container name must be specified for pod two, choose one of: [prepare app proxy]");
    assertThat(kube.pod("default", "two").logs(LogOptions.all().container("proxy")))
        .isEqualTo("hello\n");
  }

  @Test
  void aNameThatIsNoContainerOfThePodIsRefused() {
    assertThatThrownBy(() -> kube.pod("default", "two").logs(LogOptions.all().container("db")))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
        .hasMessageContaining("container db is not valid for pod two");
    assertThatThrownBy(() -> kube.pod("default", "two").exec(ExecOptions.defaults(), "ls"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
        .hasMessageContaining("choose one of: [prepare app proxy]");
  }

  /** Reads a followed log on its own thread, so that a test waits with a bound, never forever. */
  private static BlockingQueue<String> reader(LogStream log) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread thread =
        new Thread(
            () -> {
              for (String line; (line = log.readLine()) != null; ) {
                lines.add(line);
              }
              lines.add(END);
            });
    thread.setDaemon(true);
    thread.start();
    return lines;
  }

  private static @Nullable String next(BlockingQueue<String> lines) throws InterruptedException {
    return lines.poll(30, TimeUnit.SECONDS);
  }

  @Test
  void aFollowedLogStaysOpenAndBringsWhatIsAddedUntilThePodIsDeleted() throws Exception {
    kube.resource(KubeObject.of("v1", "Pod", "one").namespace("default"))
        .waitUntil(Conditions.podReady(), Duration.ofSeconds(30));
    try (LogStream log = kube.pod("default", "one").followLogs(LogOptions.all())) {
      BlockingQueue<String> lines = reader(log);
      assertThat(next(lines)).isEqualTo("hi");
      assertThat(lines.poll(300, TimeUnit.MILLISECONDS)).as("still open, nothing new").isNull();
      cluster.podLogs("default", "one", "hi\nthere\n");
      assertThat(next(lines)).isEqualTo("there");
      kube.resource(KubeObject.of("v1", "Pod", "one").namespace("default")).delete();
      assertThat(next(lines)).isEqualTo(END);
    }
  }

  @Test
  void aFollowedLogEndsWhenItsContainerTerminatesAndWhenItsClientCloses() throws Exception {
    kube.resource(KubeObject.of("v1", "Pod", "two").namespace("default"))
        .waitUntil(Conditions.podReady(), Duration.ofSeconds(30));
    LogStream closed =
        kube.pod("default", "two").followLogs(LogOptions.all().container("app").tailLines(0));
    BlockingQueue<String> fromClosed = reader(closed);
    closed.close();
    assertThat(next(fromClosed)).isEqualTo(END);

    try (LogStream log =
        kube.pod("default", "two").followLogs(LogOptions.all().container("app").tailLines(0))) {
      BlockingQueue<String> lines = reader(log);
      cluster.podLogs("default", "two", "hello\nbye\n");
      assertThat(next(lines)).isEqualTo("bye");
      Map<String, @Nullable Object> pod =
          cluster.object("v1", "Pod", "default", "two").orElseThrow();
      pod.put(
          "status",
          Map.of(
              "phase",
              "Running",
              "containerStatuses",
              List.of(
                  Map.of("name", "app", "state", Map.of("terminated", Map.of("exitCode", 0))),
                  Map.of("name", "proxy", "state", Map.of("running", Map.of())))));
      cluster.put("v1", "Pod", pod);
      assertThat(next(lines)).isEqualTo(END);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (cluster.openWatches() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(cluster.openWatches()).as("no followed log left open on the fake").isZero();
  }
}
