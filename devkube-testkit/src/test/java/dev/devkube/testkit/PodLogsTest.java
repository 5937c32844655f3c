package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.k8s.ExecOptions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which container a pod's log (and exec) means, as the API server decides it: Kubernetes {@code
 * pkg/registry/core/pod/strategy.go}, {@code validateContainer}, whose messages these are.
 */
class PodLogsTest {
  private FakeKubernetes cluster;
  private KubeClient kube;

  @BeforeEach
  void start() {
    cluster = FakeKubernetes.start();
    kube = KubeClient.connect(cluster.credentials());
    kube.resource(
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
        """)
                .get(0))
        .apply();
    kube.resource(
            KubeObject.parseYaml(
                    """
        apiVersion: v1
        kind: Pod
        metadata: {name: one, namespace: default}
        spec:
          initContainers: [{name: prepare, image: busybox:1.36}]
          containers: [{name: app, image: nginx:1.27}]
        """)
                .get(0))
        .apply();
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
}
