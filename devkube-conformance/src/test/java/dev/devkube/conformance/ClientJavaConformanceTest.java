package dev.devkube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.reflect.TypeToken;
import dev.devkube.testkit.FakeKubernetes;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.NullUnmarked;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Java client ({@code io.kubernetes:client-java}) against FakeKubernetes: typed CRUD
 * and errors, a watch until a Deployment is available, ReplicaSets, the scale subresource,
 * server-side apply with conflicts, informers, and a user limited by RBAC.
 *
 * <p>Null-unmarked: client-java's models declare every getter nullable, and a getter that returns
 * null here fails the test as surely as a check would.
 */
@NullUnmarked
class ClientJavaConformanceTest {
  private FakeKubernetes cluster;
  private ApiClient client;
  private CoreV1Api core;
  private AppsV1Api apps;

  @BeforeEach
  void start() throws Exception {
    cluster =
        FakeKubernetes.builder()
            // client-java reads EC client keys only with BouncyCastle's help; RSA needs nothing.
            .rsaClientKey()
            .podStartDelay(Duration.ofMillis(20))
            .user("dev", "dev-token-0123456789", "team")
            .start();
    client = connect(cluster.kubeconfig());
    core = new CoreV1Api(client);
    apps = new AppsV1Api(client);
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name("cj"))).execute();
  }

  private static ApiClient connect(String kubeconfig) throws Exception {
    ApiClient client =
        ClientBuilder.kubeconfig(KubeConfig.loadKubeConfig(new StringReader(kubeconfig))).build();
    // Watches and informers hold their connection open.
    client.setHttpClient(
        client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
    return client;
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static V1ConfigMap configMap(String name, Map<String, String> data) {
    return new V1ConfigMap()
        .apiVersion("v1")
        .kind("ConfigMap")
        .metadata(new V1ObjectMeta().name(name))
        .data(data);
  }

  @Test
  void crudAndTheServersErrors() throws Exception {
    V1ConfigMap created =
        core.createNamespacedConfigMap("cj", configMap("c", Map.of("a", "b"))).execute();
    V1ConfigMap read = core.readNamespacedConfigMap("c", "cj").execute();
    assertThat(read.getMetadata().getUid()).isEqualTo(created.getMetadata().getUid());
    read.getData().put("x", "y");
    V1ConfigMap replaced = core.replaceNamespacedConfigMap("c", "cj", read).execute();
    assertThat(replaced.getData()).containsEntry("x", "y");
    assertThatThrownBy(() -> core.replaceNamespacedConfigMap("c", "cj", read).execute())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody()).contains("\"reason\":\"Conflict\"");
            });
    assertThatThrownBy(() -> core.readNamespacedPod("missing", "cj").execute())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(404);
              assertThat(e.getResponseBody()).contains("pods \\\"missing\\\" not found");
            });
    assertThatThrownBy(
            () -> core.createNamespacedConfigMap("cj", configMap("Bad_Name", Map.of())).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(422));
    // Strict validation and a dry run: the typed model has no unknown fields; nothing is stored.
    core.createNamespacedConfigMap("cj", configMap("typo", Map.of()))
        .fieldValidation("Strict")
        .dryRun("All")
        .execute();
    assertThat(core.listNamespacedConfigMap("cj").execute().getItems())
        .extracting(c -> c.getMetadata().getName())
        .containsExactly("c");
    core.deleteNamespacedConfigMap("c", "cj").execute();
  }

  @Test
  void aWatchSeesADeploymentBecomeAvailable() throws Exception {
    V1Deployment deployment =
        new V1Deployment()
            .apiVersion("apps/v1")
            .kind("Deployment")
            .metadata(new V1ObjectMeta().name("web"))
            .spec(
                new V1DeploymentSpec()
                    .replicas(2)
                    .selector(new V1LabelSelector().matchLabels(Map.of("app", "web")))
                    .template(
                        new V1PodTemplateSpec()
                            .metadata(new V1ObjectMeta().labels(Map.of("app", "web")))
                            .spec(
                                new V1PodSpec()
                                    .containers(
                                        List.of(
                                            new V1Container().name("web").image("nginx:1.27"))))));
    apps.createNamespacedDeployment("cj", deployment).execute();
    boolean available = false;
    try (Watch<V1Deployment> watch =
        Watch.createWatch(
            client,
            apps.listNamespacedDeployment("cj").watch(true).timeoutSeconds(30).buildCall(null),
            new TypeToken<Watch.Response<V1Deployment>>() {}.getType())) {
      for (Watch.Response<V1Deployment> event : watch) {
        if (event.object.getStatus() != null
            && Integer.valueOf(2).equals(event.object.getStatus().getAvailableReplicas())) {
          available = true;
          break;
        }
      }
    }
    assertThat(available).isTrue();
    assertThat(apps.listNamespacedReplicaSet("cj").execute().getItems())
        .singleElement()
        .satisfies(
            rs ->
                assertThat(rs.getMetadata().getOwnerReferences().get(0).getName())
                    .isEqualTo("web"));
    var scale =
        PatchUtils.patch(
            io.kubernetes.client.openapi.models.V1Scale.class,
            () ->
                apps.patchNamespacedDeploymentScale(
                        "web", "cj", new V1Patch("{\"spec\":{\"replicas\":3}}"))
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH,
            client);
    assertThat(scale.getSpec().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getSelector()).isEqualTo("app=web");
  }

  @Test
  void serverSideApplyConflictsAndForce() throws Exception {
    String alice =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"owned\"},\"data\":{\"k\":\"one\"}}";
    String bob = alice.replace("one", "two");
    PatchUtils.patch(
        V1ConfigMap.class,
        () ->
            core.patchNamespacedConfigMap("owned", "cj", new V1Patch(alice))
                .fieldManager("alice")
                .buildCall(null),
        V1Patch.PATCH_FORMAT_APPLY_YAML,
        client);
    assertThatThrownBy(
            () ->
                PatchUtils.patch(
                    V1ConfigMap.class,
                    () ->
                        core.patchNamespacedConfigMap("owned", "cj", new V1Patch(bob))
                            .fieldManager("bob")
                            .buildCall(null),
                    V1Patch.PATCH_FORMAT_APPLY_YAML,
                    client))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(409);
              assertThat(e.getResponseBody())
                  .contains("conflict with \\\"alice\\\"")
                  .contains(".data.k");
            });
    V1ConfigMap forced =
        PatchUtils.patch(
            V1ConfigMap.class,
            () ->
                core.patchNamespacedConfigMap("owned", "cj", new V1Patch(bob))
                    .fieldManager("bob")
                    .force(true)
                    .buildCall(null),
            V1Patch.PATCH_FORMAT_APPLY_YAML,
            client);
    assertThat(forced.getData()).containsEntry("k", "two");
    // The typed model leaves managedFields out; the raw answer shows bob owns the field now.
    okhttp3.Request get =
        new okhttp3.Request.Builder()
            .url(client.getBasePath() + "/api/v1/namespaces/cj/configmaps/owned")
            .build();
    try (okhttp3.Response response = client.getHttpClient().newCall(get).execute()) {
      String body = response.body().string();
      assertThat(body)
          .contains("\"managedFields\":[{\"manager\":\"bob\",\"operation\":\"Apply\"")
          .contains("\"fieldsV1\":{\"f:data\":{\"f:k\":{}}}");
    }
  }

  @Test
  void informersSeeAddsUpdatesAndDeletes() throws Exception {
    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1ConfigMap> informer =
        factory.sharedIndexInformerFor(
            params ->
                core.listNamespacedConfigMap("cj")
                    .resourceVersion(params.resourceVersion)
                    .watch(params.watch)
                    .timeoutSeconds(params.timeoutSeconds)
                    .buildCall(null),
            V1ConfigMap.class,
            V1ConfigMapList.class);
    List<String> seen = new CopyOnWriteArrayList<>();
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(V1ConfigMap c) {
            seen.add("add " + c.getMetadata().getName());
          }

          @Override
          public void onUpdate(V1ConfigMap before, V1ConfigMap after) {
            if (!before
                .getMetadata()
                .getResourceVersion()
                .equals(after.getMetadata().getResourceVersion())) {
              seen.add("update " + after.getMetadata().getName());
            }
          }

          @Override
          public void onDelete(V1ConfigMap c, boolean unknown) {
            seen.add("delete " + c.getMetadata().getName());
          }
        });
    factory.startAllRegisteredInformers();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && !informer.hasSynced()) {
        Thread.sleep(20);
      }
      core.createNamespacedConfigMap("cj", configMap("watched", Map.of("a", "1"))).execute();
      // Without PatchUtils the client sends application/json, which a server refuses with 415.
      PatchUtils.patch(
          V1ConfigMap.class,
          () ->
              core.patchNamespacedConfigMap(
                      "watched", "cj", new V1Patch("{\"data\":{\"a\":\"2\"}}"))
                  .buildCall(null),
          V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH,
          client);
      core.deleteNamespacedConfigMap("watched", "cj").execute();
      while (System.nanoTime() < deadline && !seen.contains("delete watched")) {
        Thread.sleep(20);
      }
      assertThat(seen).containsSubsequence("add watched", "update watched", "delete watched");
    } finally {
      factory.stopAllRegisteredInformers();
    }
  }

  @Test
  void aLimitedUserIsRefusedOutsideTheirNamespace() throws Exception {
    CoreV1Api dev = new CoreV1Api(connect(cluster.credentials("dev").kubeconfig()));
    dev.createNamespacedConfigMap("team", configMap("mine", Map.of())).execute();
    assertThatThrownBy(() -> dev.listNamespacedSecret("cj").execute())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getResponseBody())
                  .contains(
                      "secrets is forbidden: User \\\"dev\\\" cannot list resource \\\"secrets\\\" in API group \\\"\\\" in the namespace \\\"cj\\\"");
            });
  }
}
