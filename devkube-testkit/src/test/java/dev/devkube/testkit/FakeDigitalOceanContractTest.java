package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.digitalocean.OpenApi;
import dev.devkube.testkit.internal.Doc;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer of FakeDigitalOcean, held to what DigitalOcean's OpenAPI files declare for that
 * operation and status: required fields, types, enums, UUID formats, and no undeclared field.
 */
class FakeDigitalOceanContractTest {
  private static final String CREATE =
      "{\"name\":\"devkube\",\"region\":\"sfo2\",\"version\":\"1.32.5-do.1\","
          + "\"node_pools\":[{\"name\":\"devpool\",\"size\":\"s-2vcpu-4gb\",\"count\":2}]}";

  private final FakeDigitalOceanTest.HandClock clock = new FakeDigitalOceanTest.HandClock();
  private final OkHttpClient http = new OkHttpClient();
  private OpenApi openApi;
  private FakeDigitalOcean fake;

  @BeforeEach
  void start() {
    // The fake first: stop() closes it even when the reference files are missing and the test
    // is skipped.
    fake = FakeDigitalOcean.builder().clock(clock).provisioningTime(Duration.ofMinutes(5)).start();
    openApi = OpenApi.load();
  }

  @AfterEach
  void stop() {
    fake.close();
    http.dispatcher().executorService().shutdown();
  }

  /** Sends a request and checks its answer against {@code operation}'s declared answer. */
  private @Nullable Object call(
      String method, String path, @Nullable String body, String operation, int status)
      throws IOException {
    return call(method, path, body, operation, status, FakeDigitalOcean.TOKEN);
  }

  private @Nullable Object call(
      String method, String path, @Nullable String body, String operation, int status, String token)
      throws IOException {
    Request request =
        new Request.Builder()
            .url(fake.url().resolve(path).toString())
            .method(
                method,
                body == null ? null : RequestBody.create(body, MediaType.get("application/json")))
            .header("Authorization", "Bearer " + token)
            .build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body().string();
      assertThat(response.code()).as(method + " " + path + ": " + text).isEqualTo(status);
      Object json = text.isEmpty() ? null : Doc.parse(text);
      if (json == null) {
        assertThat(response.header("Content-Type")).as("an empty answer's type").isNull();
      }
      assertThat(openApi.validateResponse(json, operation, status))
          .as(method + " " + path + " against " + operation + " " + status + ": " + text)
          .isEmpty();
      return json;
    }
  }

  @Test
  void storageAnswersConformToTheOpenApiSchemas() throws Exception {
    Object created =
        call(
            "POST",
            "/v2/kubernetes/clusters",
            CREATE,
            "kubernetes/kubernetes_create_cluster.yml",
            201);
    String id = String.valueOf(Doc.get(created, "kubernetes_cluster.id"));
    clock.advance(Duration.ofMinutes(6));
    call(
        "GET", "/v2/kubernetes/clusters/" + id, null, "kubernetes/kubernetes_get_cluster.yml", 200);
    // A claim in the cluster makes a volume in the account, as DigitalOcean's CSI driver does.
    Objects.requireNonNull(fake.kubernetes(id))
        .put(
            "v1",
            "PersistentVolumeClaim",
            Doc.obj(
                "apiVersion",
                "v1",
                "kind",
                "PersistentVolumeClaim",
                "metadata",
                Doc.obj("name", "data", "namespace", "default"),
                "spec",
                Doc.obj(
                    "accessModes", List.of("ReadWriteOnce"),
                    "storageClassName", "do-block-storage",
                    "resources", Doc.obj("requests", Doc.obj("storage", "5Gi")))));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (fake.volumes().isEmpty()) {
      assertThat(System.nanoTime() - deadline).as("the claim's volume").isNegative();
      Thread.sleep(10);
    }
    String volume = fake.volumes().keySet().iterator().next();
    Object list = call("GET", "/v2/volumes?region=sfo2", null, "volumes/volumes_list.yml", 200);
    assertThat(String.valueOf(Doc.get(list, "volumes"))).contains(volume);
    call("GET", "/v2/volumes/" + volume, null, "volumes/volumes_get.yml", 200);
    Object snapshot =
        call(
            "POST",
            "/v2/volumes/" + volume + "/snapshots",
            "{\"name\":\"keep\"}",
            "volumes/volumeSnapshots_create.yml",
            201);
    call(
        "GET",
        "/v2/volumes/" + volume + "/snapshots",
        null,
        "volumes/volumeSnapshots_list.yml",
        200);
    call(
        "DELETE",
        "/v2/snapshots/" + Doc.get(snapshot, "snapshot.id"),
        null,
        "snapshots/snapshots_delete.yml",
        204);

    Object share =
        call(
            "POST",
            "/v2/nfs",
            "{\"name\":\"share\",\"size_gib\":50,\"region\":\"sfo2\",\"vpc_ids\":[\"v1\"]}",
            "nfs/nfs_create.yml",
            201);
    assertThat(Doc.get(share, "share.status")).isEqualTo("CREATING");
    String shareId = String.valueOf(Doc.get(share, "share.id"));
    clock.advance(Duration.ofMinutes(6));
    Object active =
        call("GET", "/v2/nfs/" + shareId + "?region=sfo2", null, "nfs/nfs_get.yml", 200);
    assertThat(Doc.get(active, "share.status")).isEqualTo("ACTIVE");
    assertThat(Doc.get(active, "share.host")).isNotNull();
    call("GET", "/v2/nfs?region=sfo2", null, "nfs/nfs_list.yml", 200);
    call(
        "POST",
        "/v2/nfs/" + shareId + "/actions",
        "{\"type\":\"resize\",\"region\":\"sfo2\",\"params\":{\"size_gib\":100}}",
        "nfs/nfs_actions_create.yml",
        201);
    call(
        "POST",
        "/v2/nfs/" + shareId + "/actions",
        "{\"type\":\"snapshot\",\"region\":\"sfo2\",\"params\":{\"name\":\"daily\"}}",
        "nfs/nfs_actions_create.yml",
        201);
    call("DELETE", "/v2/nfs/" + shareId + "?region=sfo2", null, "nfs/nfs_delete.yml", 204);
    call("GET", "/v2/nfs/" + shareId + "?region=sfo2", null, "nfs/nfs_get.yml", 404);
  }

  @Test
  void everyAnswerConformsToTheOpenApiSchemas() throws IOException {
    String k = "kubernetes/";
    call("GET", "/v2/kubernetes/options", null, k + "kubernetes_list_options.yml", 200);
    Object created =
        call("POST", "/v2/kubernetes/clusters", CREATE, k + "kubernetes_create_cluster.yml", 201);
    String id = String.valueOf(Doc.get(created, "kubernetes_cluster.id"));
    String cluster = "/v2/kubernetes/clusters/" + id;
    call("GET", cluster, null, k + "kubernetes_get_cluster.yml", 200);
    clock.advance(Duration.ofMinutes(6));
    call("GET", cluster, null, k + "kubernetes_get_cluster.yml", 200);
    call("GET", "/v2/kubernetes/clusters", null, k + "kubernetes_list_clusters.yml", 200);
    call(
        "PUT",
        cluster,
        "{\"name\":\"devkube\",\"tags\":[\"dev\"]}",
        k + "kubernetes_update_cluster.yml",
        202);
    call("GET", cluster + "/credentials", null, k + "kubernetes_get_credentials.yml", 200);
    call("GET", cluster + "/upgrades", null, k + "kubernetes_get_availableUpgrades.yml", 200);
    Object pools =
        call("GET", cluster + "/node_pools", null, k + "kubernetes_list_nodePools.yml", 200);
    Object pool =
        call(
            "POST",
            cluster + "/node_pools",
            "{\"name\":\"more\",\"size\":\"s-2vcpu-4gb\",\"count\":1}",
            k + "kubernetes_add_nodePool.yml",
            201);
    String poolId = String.valueOf(Doc.get(pool, "node_pool.id"));
    call("GET", cluster + "/node_pools/" + poolId, null, k + "kubernetes_get_nodePool.yml", 200);
    call(
        "PUT",
        cluster + "/node_pools/" + poolId,
        "{\"name\":\"more\",\"count\":2}",
        k + "kubernetes_update_nodePool.yml",
        202);
    Map<?, ?> first =
        (Map<?, ?>) ((List<?>) Objects.requireNonNull(Doc.get(pools, "node_pools"))).get(0);
    String node =
        String.valueOf(
            Doc.get(((List<?>) Objects.requireNonNull(first.get("nodes"))).get(0), "id"));
    call(
        "DELETE",
        cluster + "/node_pools/" + first.get("id") + "/nodes/" + node + "?replace=1",
        null,
        k + "kubernetes_delete_node.yml",
        202);
    call(
        "DELETE",
        cluster + "/node_pools/" + poolId,
        null,
        k + "kubernetes_delete_nodePool.yml",
        204);
    call(
        "POST",
        cluster + "/upgrade",
        "{\"version\":\"1.33.1-do.0\"}",
        k + "kubernetes_upgrade_cluster.yml",
        202);
    call(
        "GET",
        cluster + "/destroy_with_associated_resources",
        null,
        k + "kubernetes_list_associatedResources.yml",
        200);
    call("GET", "/v2/account", null, "account/account_get.yml", 200);
    call("GET", cluster, null, k + "kubernetes_get_cluster.yml", 401, "wrong-token");
    call("GET", "/v2/kubernetes/clusters/nope", null, k + "kubernetes_get_cluster.yml", 404);
    call("DELETE", cluster, null, k + "kubernetes_delete_cluster.yml", 204);
  }
}
