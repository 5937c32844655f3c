package dev.devkube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.testkit.FakeKubernetes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * fabric8's kubernetes-client against FakeKubernetes: CRUD and optimistic concurrency, waits, scale
 * and rollouts through ReplicaSets, server-side apply with conflicts, informers, dry run, and what
 * a cluster refuses.
 */
class Fabric8ConformanceTest {
  private FakeKubernetes cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    cluster =
        FakeKubernetes.builder()
            // fabric8 reads EC client keys only with BouncyCastle on the class path.
            .rsaClientKey()
            .podStartDelay(Duration.ofMillis(20))
            .user("dev", "dev-token-0123456789", "team")
            .start();
    client = connect(cluster.kubeconfig());
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build())
        .create();
  }

  private static KubernetesClient connect(String kubeconfig) {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  @AfterEach
  void stop() {
    client.close();
    cluster.close();
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withData(data)
        .build();
  }

  private static Deployment deployment(int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("web")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", "web")
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", "web")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  @Test
  void crudOptimisticConcurrencyAndErrors() {
    ConfigMap created =
        client.configMaps().inNamespace("f8").resource(configMap("c", Map.of("a", "b"))).create();
    assertThat(created.getMetadata().getUid()).isNotBlank();
    ConfigMap edited =
        client
            .configMaps()
            .inNamespace("f8")
            .withName("c")
            .edit(c -> new ConfigMapBuilder(c).addToData("x", "y").build());
    assertThat(edited.getData()).containsEntry("a", "b").containsEntry("x", "y");
    ConfigMap stale =
        new ConfigMapBuilder(edited)
            .editMetadata()
            .withResourceVersion(created.getMetadata().getResourceVersion())
            .endMetadata()
            .build();
    assertThatThrownBy(() -> client.configMaps().inNamespace("f8").resource(stale).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getReason()).isEqualTo("Conflict");
            });
    assertThatThrownBy(
            () -> client.configMaps().inNamespace("f8").resource(configMap("c", Map.of())).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> assertThat(e.getStatus().getReason()).isEqualTo("AlreadyExists"));
    assertThat(client.pods().inNamespace("f8").withName("missing").get()).isNull();
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace("f8")
                    .resource(configMap("Bad_Name", Map.of()))
                    .create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getStatus().getDetails().getCauses().get(0).getField())
                  .isEqualTo("metadata.name");
            });
    assertThat(client.configMaps().inNamespace("f8").withName("c").delete()).hasSize(1);
  }

  @Test
  void deploymentsRollOutThroughReplicaSets() throws InterruptedException {
    client.apps().deployments().inNamespace("f8").resource(deployment(2, "nginx:1.27")).create();
    client
        .apps()
        .deployments()
        .inNamespace("f8")
        .withName("web")
        .waitUntilReady(30, TimeUnit.SECONDS);
    List<Pod> pods = client.pods().inNamespace("f8").withLabel("app", "web").list().getItems();
    assertThat(pods)
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(p.getMetadata().getLabels()).containsKey("pod-template-hash");
              assertThat(p.getMetadata().getOwnerReferences().get(0).getKind())
                  .isEqualTo("ReplicaSet");
            });
    client.apps().deployments().inNamespace("f8").withName("web").scale(3);
    client
        .apps()
        .deployments()
        .inNamespace("f8")
        .withName("web")
        .waitUntilCondition(
            d ->
                d.getStatus() != null
                    && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas()),
            30,
            TimeUnit.SECONDS);
    client.apps().deployments().inNamespace("f8").withName("web").updateImage("nginx:1.28");
    client
        .apps()
        .deployments()
        .inNamespace("f8")
        .withName("web")
        .waitUntilCondition(
            d ->
                "2"
                        .equals(
                            d.getMetadata()
                                .getAnnotations()
                                .get("deployment.kubernetes.io/revision"))
                    && d.getStatus().getUpdatedReplicas() != null
                    && d.getStatus().getUpdatedReplicas() == 3
                    && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas()),
            30,
            TimeUnit.SECONDS);
    List<ReplicaSet> sets = client.apps().replicaSets().inNamespace("f8").list().getItems();
    assertThat(sets).hasSize(2);
    assertThat(sets.stream().mapToInt(r -> r.getSpec().getReplicas()).sum()).isEqualTo(3);
    client.apps().deployments().inNamespace("f8").withName("web").delete();
    // The garbage collector removes the ReplicaSets and their pods.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline
        && !client.pods().inNamespace("f8").withLabel("app", "web").list().getItems().isEmpty()) {
      Thread.sleep(20);
    }
    assertThat(client.pods().inNamespace("f8").withLabel("app", "web").list().getItems()).isEmpty();
    assertThat(client.apps().replicaSets().inNamespace("f8").list().getItems()).isEmpty();
  }

  @Test
  void serverSideApplyOwnsFieldsAndReportsConflicts() {
    client
        .configMaps()
        .inNamespace("f8")
        .resource(configMap("owned", Map.of("k", "one")))
        .fieldManager("alice")
        .serverSideApply();
    assertThatThrownBy(
            () ->
                client
                    .configMaps()
                    .inNamespace("f8")
                    .resource(configMap("owned", Map.of("k", "two")))
                    .fieldManager("bob")
                    .serverSideApply())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getStatus().getMessage())
                  .contains("conflict with \"alice\"")
                  .contains(".data.k");
            });
    ConfigMap forced =
        client
            .configMaps()
            .inNamespace("f8")
            .resource(configMap("owned", Map.of("k", "two")))
            .fieldManager("bob")
            .forceConflicts()
            .serverSideApply();
    assertThat(forced.getData()).containsEntry("k", "two");
    assertThat(forced.getMetadata().getManagedFields())
        .extracting(f -> f.getManager())
        .containsExactly("bob");
  }

  @Test
  void informersSeeAddsUpdatesAndDeletes() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ConfigMap> informer =
        client
            .configMaps()
            .inNamespace("f8")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ConfigMap c) {
                    seen.add("add " + c.getMetadata().getName());
                  }

                  @Override
                  public void onUpdate(ConfigMap before, ConfigMap after) {
                    seen.add("update " + after.getMetadata().getName());
                  }

                  @Override
                  public void onDelete(ConfigMap c, boolean unknown) {
                    seen.add("delete " + c.getMetadata().getName());
                  }
                });
    try {
      client
          .configMaps()
          .inNamespace("f8")
          .resource(configMap("watched", Map.of("a", "1")))
          .create();
      client
          .configMaps()
          .inNamespace("f8")
          .withName("watched")
          .edit(c -> new ConfigMapBuilder(c).addToData("a", "2").build());
      client.configMaps().inNamespace("f8").withName("watched").delete();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && !seen.contains("delete watched")) {
        Thread.sleep(20);
      }
      assertThat(seen).containsSubsequence("add watched", "update watched", "delete watched");
    } finally {
      informer.close();
    }
  }

  @Test
  void dryRunStoresNothingAndALimitedUserIsRefused() {
    ConfigMap dry =
        client
            .configMaps()
            .inNamespace("f8")
            .resource(configMap("dry", Map.of()))
            .dryRun()
            .create();
    assertThat(dry.getMetadata().getUid()).isNotBlank();
    assertThat(client.configMaps().inNamespace("f8").withName("dry").get()).isNull();
    try (KubernetesClient dev = connect(cluster.credentials("dev").kubeconfig())) {
      dev.configMaps().inNamespace("team").resource(configMap("mine", Map.of())).create();
      assertThatThrownBy(() -> dev.pods().inNamespace("f8").list())
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(403);
                assertThat(e.getStatus().getMessage())
                    .isEqualTo(
                        "pods is forbidden: User \"dev\" cannot list resource \"pods\" in API group \"\" in the namespace \"f8\"");
              });
    }
  }

  @Test
  void execAndPortForwardOverWebSockets() throws Exception {
    client
        .pods()
        .inNamespace("f8")
        .resource(
            new io.fabric8.kubernetes.api.model.PodBuilder()
                .withNewMetadata()
                .withName("box")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage("nginx:1.27")
                .endContainer()
                .endSpec()
                .build())
        .create();
    client
        .pods()
        .inNamespace("f8")
        .withName("box")
        .waitUntilCondition(
            p -> p != null && "Running".equals(p.getStatus().getPhase()), 30, TimeUnit.SECONDS);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (io.fabric8.kubernetes.client.dsl.ExecWatch exec =
        client
            .pods()
            .inNamespace("f8")
            .withName("box")
            .writingOutput(out)
            .exec("sh", "-c", "echo hi; echo page > /usr/share/nginx/html/index.html; exit 4")) {
      assertThat(exec.exitCode().get(30, TimeUnit.SECONDS)).isEqualTo(4);
    }
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("hi\n");
    try (io.fabric8.kubernetes.client.LocalPortForward forward =
        client.pods().inNamespace("f8").withName("box").portForward(80)) {
      java.net.http.HttpResponse<String> page =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create("http://127.0.0.1:" + forward.getLocalPort() + "/"))
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).isEqualTo("page\n");
    }
  }
}
