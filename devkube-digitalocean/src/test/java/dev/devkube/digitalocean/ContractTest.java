package dev.devkube.digitalocean;

import static dev.devkube.digitalocean.DoServer.cluster;
import static dev.devkube.digitalocean.DoServer.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.moshi.Moshi;
import dev.devkube.AssociatedResources;
import dev.devkube.Cluster;
import dev.devkube.ClusterCredentials;
import dev.devkube.ClusterOptions;
import dev.devkube.ClusterSpec;
import dev.devkube.ClusterStatus;
import dev.devkube.ClusterUpdate;
import dev.devkube.DeleteOption;
import dev.devkube.MaintenanceWindow;
import dev.devkube.NodePool;
import dev.devkube.NodePoolSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Checks the provider against DigitalOcean's contract: the bodies it sends conform to the OpenAPI
 * request schemas, and the spec's examples and real response bodies (from DigitalOcean's Go
 * client's tests) parse without losing what the SDK exposes.
 */
class ContractTest {
  private DoServer server;
  private DigitalOcean cloud;
  private OpenApi openApi;

  @BeforeEach
  void start() throws Exception {
    openApi = OpenApi.load();
    server = new DoServer();
    cloud = server.provider();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) { // null when the reference folder is missing and the test was skipped
      cloud.close();
      server.close();
    }
  }

  private void assertConforms(String operationFile) throws Exception {
    Object body = DoServer.json(DoServer.body(server.take()));
    assertThat(openApi.validate(body, openApi.requestSchema(operationFile)))
        .as("request body %s against %s", body, operationFile)
        .isEmpty();
  }

  private Cluster someCluster() throws Exception {
    server.enqueue(200, envelope(cluster("c1", "devkube", "running")));
    Cluster cluster = cloud.clusters().get("c1");
    server.take();
    return cluster;
  }

  @Test
  void theValidatorCatchesAMisspeltField() {
    List<String> errors =
        openApi.validate(
            Map.of(
                "name",
                "x",
                "regon",
                "sfo2",
                "version",
                "latest",
                "node_pools",
                List.of(Map.of("name", "p", "size", "s", "count", "two")),
                "id",
                "c1"),
            openApi.requestSchema("kubernetes_create_cluster.yml"));

    assertThat(errors)
        .containsExactlyInAnyOrder(
            "$: required property region is missing",
            "$.regon: not a property of the schema",
            "$.node_pools[0].count: expected integer, got two",
            "$.id: is read-only and must not be sent",
            "$.id: c1 is not a UUID");
  }

  @Test
  void createConformsToTheRequestSchema() throws Exception {
    server.enqueue(200, DoServer.options());
    server.enqueue(201, envelope(cluster("c1", "devkube", "provisioning")));

    cloud
        .clusters()
        .create(
            ClusterSpec.named("devkube")
                .region("sfo2")
                .latestVersion()
                .nodePool(
                    NodePoolSpec.of("devpool", "s-2vcpu-4gb", 2)
                        .withTags("web")
                        .withLabels(Map.of("tier", "dev"))
                        .withAutoScale(1, 3))
                .tags("dev")
                .autoUpgrade(true)
                .surgeUpgrade(true)
                .highAvailability(true)
                .vpc("c33931f2-a26a-4e61-b85c-4e95a2ec431b")
                .maintenanceWindow(MaintenanceWindow.on(DayOfWeek.SUNDAY, LocalTime.of(4, 0))));

    server.take();
    assertConforms("kubernetes_create_cluster.yml");
  }

  @Test
  void updatesAndNodePoolCallsConformToTheirSchemas() throws Exception {
    Cluster cluster = someCluster();
    server.enqueue(202, envelope(cluster("c1", "devkube", "running")));
    cluster.update(
        ClusterUpdate.of()
            .name("devkube-2")
            .tags("a")
            .autoUpgrade(false)
            .surgeUpgrade(true)
            .maintenanceWindow(MaintenanceWindow.anyDay(LocalTime.NOON)));
    assertConforms("kubernetes_update_cluster.yml");

    server.enqueue(201, "{\"node_pool\": {\"id\": \"p2\", \"name\": \"big\"}}");
    cluster.addNodePool(NodePoolSpec.of("big", "s-4vcpu-8gb", 1).withAutoScale(1, 2));
    assertConforms("kubernetes_add_nodePool.yml");

    server.enqueue(
        202, "{\"node_pool\": {\"id\": \"pool-1\", \"name\": \"devpool\", \"count\": 3}}");
    cluster.nodePool("devpool").resize(3);
    assertConforms("kubernetes_update_nodePool.yml");
  }

  @Test
  void upgradeAndSelectiveDestroyConformToTheirSchemas() throws Exception {
    Cluster cluster = someCluster();
    server.enqueue(200, "{\"available_upgrade_versions\": [{\"slug\": \"1.32.2-do.0\"}]}");
    server.enqueue(202, "");
    server.enqueue(200, envelope(cluster("c1", "devkube", "upgrading")));
    cluster.upgrade("1.32.2-do.0");
    server.take();
    assertConforms("kubernetes_upgrade_cluster.yml");
    server.take();

    server.enqueue(200, "{\"volumes\": [{\"id\": \"v1\", \"name\": \"pvc\"}]}");
    server.enqueue(204, "");
    cluster.delete(DeleteOption.DESTROY_VOLUMES, DeleteOption.DESTROY_LOAD_BALANCERS);
    server.take();
    assertConforms("kubernetes_destroy_associatedResourcesSelective.yml");
  }

  // Responses: the spec's examples.

  private String example(String name) {
    Object value =
        ((Map<?, ?>)
                Objects.requireNonNull(openApi.yamlMap("responses/examples.yml").get(name), name))
            .get("value");
    return new Moshi.Builder().build().adapter(Object.class).toJson(value);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(@Nullable Object list) {
    return (List<Map<String, Object>>) Objects.requireNonNull(list, "a list");
  }

  private static @Nullable Object present(@Nullable Object value) {
    return "".equals(value) ? null : value;
  }

  @SuppressWarnings("unchecked")
  private static void assertSame(Cluster cluster, @Nullable Map<String, Object> json) {
    assertThat(json).isNotNull();
    assertThat(cluster.id()).isEqualTo(json.get("id"));
    assertThat(cluster.name()).isEqualTo(json.get("name"));
    assertThat(cluster.region()).isEqualTo(json.get("region"));
    assertThat(cluster.version()).isEqualTo(json.get("version"));
    Map<String, Object> status = (Map<String, Object>) json.getOrDefault("status", Map.of());
    assertThat(cluster.status()).isEqualTo(ClusterStatus.parse((String) status.get("state")));
    assertThat(cluster.statusMessage()).isEqualTo(status.get("message"));
    assertThat(cluster.endpoint() == null ? "" : cluster.endpoint().toString())
        .isEqualTo(json.getOrDefault("endpoint", ""));
    assertThat(cluster.tags()).isEqualTo(json.get("tags") == null ? List.of() : json.get("tags"));
    assertThat(cluster.autoUpgrade()).isEqualTo(Boolean.TRUE.equals(json.get("auto_upgrade")));
    assertThat(cluster.highAvailability()).isEqualTo(Boolean.TRUE.equals(json.get("ha")));
    if (json.get("created_at") != null) {
      assertThat(cluster.createdAt()).isEqualTo(Instant.parse((String) json.get("created_at")));
    }
    // What a ClusterSpec can set, or the API reports, a Cluster reads back.
    assertThat(cluster.updatedAt())
        .isEqualTo(
            json.get("updated_at") == null ? null : Instant.parse((String) json.get("updated_at")));
    // An empty string (a provisioning cluster's ipv4) reads as absent.
    assertThat(cluster.vpcId()).isEqualTo(present(json.get("vpc_uuid")));
    assertThat(cluster.surgeUpgrade()).isEqualTo(Boolean.TRUE.equals(json.get("surge_upgrade")));
    assertThat(cluster.ipv4()).isEqualTo(present(json.get("ipv4")));
    assertThat(cluster.clusterSubnet()).isEqualTo(present(json.get("cluster_subnet")));
    assertThat(cluster.serviceSubnet()).isEqualTo(present(json.get("service_subnet")));
    Map<String, Object> policy = (Map<String, Object>) json.get("maintenance_policy");
    if (policy != null && cluster.maintenanceWindow() != null) {
      assertThat(cluster.maintenanceWindow().duration())
          .isEqualTo(
              "4h0m0s".equals(policy.get("duration")) ? java.time.Duration.ofHours(4) : null);
    }
    List<Map<String, Object>> pools = maps(json.get("node_pools"));
    assertThat(cluster.nodePools()).hasSameSizeAs(pools);
    for (int i = 0; i < pools.size(); i++) {
      NodePool pool = cluster.nodePools().get(i);
      Map<String, Object> poolJson = pools.get(i);
      assertThat(pool.id()).isEqualTo(poolJson.get("id"));
      assertThat(pool.name()).isEqualTo(poolJson.get("name"));
      assertThat(pool.size()).isEqualTo(poolJson.get("size"));
      assertThat(pool.count())
          .isEqualTo(((Number) Objects.requireNonNull(poolJson.get("count"))).intValue());
      assertThat(pool.autoScale()).isEqualTo(Boolean.TRUE.equals(poolJson.get("auto_scale")));
      List<Map<String, Object>> nodes =
          poolJson.get("nodes") == null ? List.of() : maps(poolJson.get("nodes"));
      assertThat(pool.nodes()).hasSameSizeAs(nodes);
      for (int n = 0; n < nodes.size(); n++) {
        assertThat(pool.nodes().get(n).name()).isEqualTo(nodes.get(n).get("name"));
        assertThat(pool.nodes().get(n).instanceId()).isEqualTo(nodes.get(n).get("droplet_id"));
        Object created = nodes.get(n).get("created_at");
        assertThat(pool.nodes().get(n).createdAt())
            .isEqualTo(created == null ? null : Instant.parse((String) created));
        Object updated = nodes.get(n).get("updated_at");
        assertThat(pool.nodes().get(n).updatedAt())
            .isEqualTo(updated == null ? null : Instant.parse((String) updated));
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theSpecsClusterExamplesParse() throws Exception {
    for (String name :
        List.of(
            "kubernetes_single",
            "kubernetes_updated",
            "kubernetes_clusters_create_basic_response",
            "kubernetes_clusters_multi_pool_response")) {
      String body = example(name);
      server.enqueue(200, body);
      Cluster cluster = cloud.clusters().get("any");
      Map<String, Object> json = DoServer.json(body);
      // One example names the key in the plural; the provider tolerates it.
      assertSame(
          cluster,
          (Map<String, Object>)
              json.getOrDefault("kubernetes_cluster", json.get("kubernetes_clusters")));
    }
    String all = example("kubernetes_clusters_all");
    server.enqueue(200, all);
    List<Cluster> clusters = cloud.clusters().list().toList();
    List<Map<String, Object>> expected = maps(DoServer.json(all).get("kubernetes_clusters"));
    assertThat(clusters).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertSame(clusters.get(i), expected.get(i));
    }
  }

  @Test
  void theSpecsOptionsExampleParses() throws Exception {
    server.enqueue(200, example("kubernetes_options"));

    ClusterOptions options = cloud.options();

    assertThat(options.regions()).isNotEmpty().allSatisfy(r -> assertThat(r.slug()).isNotEmpty());
    assertThat(options.versions()).isNotEmpty().allSatisfy(v -> assertThat(v.slug()).isNotEmpty());
    assertThat(options.sizes()).isNotEmpty().allSatisfy(s -> assertThat(s.slug()).isNotEmpty());
  }

  // Responses: real bodies from DigitalOcean's Go client's tests.

  private String real(String file) throws IOException {
    return Files.readString(OpenApi.reference().resolve("digitalocean-examples").resolve(file));
  }

  @Test
  void realListParsesTwoRunningClusters() throws Exception {
    server.enqueue(200, real("list_clusters.json"));

    // The body's next link points at api.digitalocean.com; reading the first page is enough.
    List<Cluster> page = cloud.clusters().list().stream().limit(2).toList();

    assertThat(page)
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.status()).isEqualTo(ClusterStatus.RUNNING));
    assertThat(page.get(0).nodePools()).hasSize(1);
    assertThat(page.get(0).nodePools().get(0).nodes()).hasSize(2);
    assertThat(page.get(0).tags()).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void realGetAndCreateBodiesParse() throws Exception {
    String get = real("get_cluster.json");
    server.enqueue(200, get);
    Cluster cluster = cloud.clusters().get("deadbeef-dead-4aa5-beef-deadbeef347d");
    assertSame(cluster, (Map<String, Object>) DoServer.json(get).get("kubernetes_cluster"));
    assertThat(cluster.maintenanceWindow()).isNotNull();
    assertThat(cluster.maintenanceWindow().day()).isEqualTo(DayOfWeek.MONDAY);

    server.enqueue(200, DoServer.options().replace("\"nyc1\"", "\"s2r1\""));
    String create = real("create_cluster.json");
    server.enqueue(201, create);
    Cluster created =
        cloud
            .clusters()
            .create(ClusterSpec.named("antoine").region("s2r1").nodePool("pool", "s-2vcpu-4gb", 1));
    assertSame(created, (Map<String, Object>) DoServer.json(create).get("kubernetes_cluster"));
  }

  @Test
  void realCredentialsUpgradesResourcesNodePoolAndOptionsParse() throws Exception {
    Cluster cluster = someCluster();

    server.enqueue(200, real("get_credentials.json"));
    ClusterCredentials credentials = cluster.credentials();
    assertThat(credentials.expiresAt()).isEqualTo(Instant.parse("2014-11-12T11:45:26.371Z"));
    assertThat(credentials.token()).isNotBlank();
    assertThat(credentials.server()).isEqualTo(cluster.endpoint());

    server.enqueue(200, real("get_upgrades.json"));
    assertThat(cluster.availableUpgrades()).isNotEmpty();

    server.enqueue(200, real("list_associated_resources.json"));
    AssociatedResources resources = cluster.associatedResources();
    assertThat(resources.isEmpty()).isFalse();
    assertThat(resources.volumes()).allSatisfy(v -> assertThat(v.id()).isNotEmpty());

    server.enqueue(201, real("create_node_pool_autoscale.json"));
    NodePool pool =
        cluster.addNodePool(NodePoolSpec.of("autoscale", "s-2vcpu-4gb", 1).withAutoScale(0, 10));
    assertThat(pool.autoScale()).isTrue();
    assertThat(pool.minNodes()).isZero();
    assertThat(pool.maxNodes()).isEqualTo(10);

    server.enqueue(200, real("get_options.json"));
    try (DigitalOcean fresh = server.provider()) {
      ClusterOptions options = fresh.options();
      assertThat(options.versions()).isNotEmpty();
      assertThat(options.versions())
          .anySatisfy(v -> assertThat(v.supportedFeatures()).contains("ha-control-plane"));
    }
  }

  @Test
  void referenceFolderIsWhereTheBuildSaysItIs() {
    Path reference = OpenApi.reference();
    assertThat(reference.resolve("digitalocean-openapi/README.md")).exists();
  }
}
