package dev.devkube.digitalocean;

import static dev.devkube.digitalocean.DoServer.cluster;
import static dev.devkube.digitalocean.DoServer.envelope;
import static dev.devkube.digitalocean.DoServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.AuthenticationException;
import dev.devkube.Cluster;
import dev.devkube.ClusterSpec;
import dev.devkube.ClusterStatus;
import dev.devkube.InvalidException;
import dev.devkube.MaintenanceWindow;
import dev.devkube.NotFoundException;
import dev.devkube.TransportException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClustersTest {
  private DoServer server;
  private DigitalOcean cloud;

  @BeforeEach
  void start() throws Exception {
    server = new DoServer();
    cloud = server.provider();
  }

  @AfterEach
  void stop() throws Exception {
    cloud.close();
    server.close();
  }

  private static final ClusterSpec SPEC =
      ClusterSpec.named("devkube")
          .region("sfo2")
          .latestVersion()
          .nodePool("devpool", "s-2vcpu-4gb", 2);

  @Test
  void getSendsTheTokenAndParsesTheCluster() throws Exception {
    server.enqueue(200, envelope(cluster("c1", "devkube", "running")));

    Cluster cluster = cloud.clusters().get("c1");

    assertThat(cluster.id()).isEqualTo("c1");
    assertThat(cluster.name()).isEqualTo("devkube");
    assertThat(cluster.region()).isEqualTo("sfo2");
    assertThat(cluster.version()).isEqualTo("1.31.1-do.5");
    assertThat(cluster.status()).isEqualTo(ClusterStatus.RUNNING);
    assertThat(cluster.statusMessage()).isEqualTo("running msg");
    assertThat(cluster.endpoint()).hasToString("https://c1.k8s.ondigitalocean.com");
    assertThat(cluster.maintenanceWindow())
        .isEqualTo(
            MaintenanceWindow.on(DayOfWeek.MONDAY, LocalTime.MIDNIGHT)
                .withDuration(Duration.ofHours(4)));
    assertThat(cluster.nodePools()).hasSize(1);
    assertThat(cluster.nodePool("devpool").count()).isEqualTo(2);
    assertThat(cluster.nodePool("devpool").runningNodes()).isEqualTo(1);
    assertThat(cluster.nodePool("devpool").nodes().get(0).instanceId()).isEqualTo("101");
    RecordedRequest request = server.take();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getTarget()).isEqualTo("/v2/kubernetes/clusters/c1");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + DoServer.TOKEN);
    assertThat(request.getHeaders().get("User-Agent")).startsWith("devkube/");
  }

  @Test
  void userAgentNamesTheCallersProductFirst() throws Exception {
    try (DigitalOcean named = server.builder().userAgent("mytool/1.2").build()) {
      server.enqueue(200, envelope(cluster("c1", "devkube", "running")));
      named.clusters().get("c1");
      assertThat(server.take().getHeaders().get("User-Agent")).startsWith("mytool/1.2 devkube/");
    }
  }

  @Test
  void aClusterWithAnEndpointThatIsNoUrlIsListedWithoutOne() {
    server.enqueue(
        200,
        "{\"kubernetes_clusters\": ["
            + cluster("c1", "odd", "running")
                .replace("https://c1.k8s.ondigitalocean.com", "not a url")
            + ","
            + cluster("c2", "fine", "running")
            + "]}");

    List<Cluster> clusters = cloud.clusters().list().toList();

    assertThat(clusters).extracting(Cluster::name).containsExactly("odd", "fine");
    assertThat(clusters.get(0).endpoint()).isNull();
    assertThat(clusters.get(1).endpoint()).hasToString("https://c2.k8s.ondigitalocean.com");
  }

  @Test
  void listFollowsNextLinksLazily() throws Exception {
    server.enqueue(
        200,
        "{\"kubernetes_clusters\": ["
            + cluster("c1", "one", "running")
            + ","
            + cluster("c2", "two", "provisioning")
            + "], \"links\": {\"pages\": {\"next\": \""
            + server.url("/v2/kubernetes/clusters?page=2&per_page=200")
            + "\", \"last\": \"x\"}},"
            + " \"meta\": {\"total\": 3}}");
    server.enqueue(
        200,
        "{\"kubernetes_clusters\": ["
            + cluster("c3", "three", "running")
            + "],"
            + " \"links\": {}, \"meta\": {\"total\": 3}}");

    Iterator<Cluster> clusters = cloud.clusters().list().iterator();
    assertThat(clusters.next().name()).isEqualTo("one");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
    assertThat(clusters.next().name()).isEqualTo("two");
    assertThat(clusters.next().name()).isEqualTo("three");
    assertThat(clusters.hasNext()).isFalse();

    assertThat(server.take().getTarget()).isEqualTo("/v2/kubernetes/clusters?per_page=200");
    RecordedRequest second = server.take();
    assertThat(second.getTarget()).isEqualTo("/v2/kubernetes/clusters?page=2&per_page=200");
    assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer " + DoServer.TOKEN);
  }

  @Test
  void aNextLinkToAnotherHostIsNotFollowed() {
    server.enqueue(
        200,
        "{\"kubernetes_clusters\": [], \"links\": {\"pages\": {\"next\":"
            + " \"https://evil.example.com/v2/kubernetes/clusters?page=2\"}}}");

    assertThatThrownBy(() -> cloud.clusters().list().toList())
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith(
            "DigitalOcean's next-page link https://evil.example.com/v2/kubernetes/clusters?page=2"
                + " does not point at http://");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void findMatchesTheNameExactly() throws Exception {
    server.enqueue(
        200,
        "{\"kubernetes_clusters\": ["
            + cluster("c1", "devkube-old", "running")
            + ","
            + cluster("c2", "devkube", "running")
            + "]}");
    server.enqueue(200, "{\"kubernetes_clusters\": null}");

    assertThat(cloud.clusters().find("devkube")).map(Cluster::id).contains("c2");
    assertThat(cloud.clusters().find("missing")).isEmpty();
  }

  @Test
  void createResolvesTheLatestVersionAndSendsTheSpec() throws Exception {
    server.enqueue(200, DoServer.options());
    server.enqueue(201, envelope(cluster("new-id", "devkube", "provisioning")));

    Cluster cluster =
        cloud
            .clusters()
            .create(
                SPEC.tags("dev")
                    .autoUpgrade(true)
                    .maintenanceWindow(MaintenanceWindow.anyDay(LocalTime.of(3, 30))));

    assertThat(cluster.id()).isEqualTo("new-id");
    assertThat(cluster.status()).isEqualTo(ClusterStatus.PROVISIONING);
    assertThat(server.take().getTarget()).isEqualTo("/v2/kubernetes/options");
    RecordedRequest create = server.take();
    assertThat(create.getMethod()).isEqualTo("POST");
    assertThat(create.getTarget()).isEqualTo("/v2/kubernetes/clusters");
    assertThat(create.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(json(DoServer.body(create)))
        .isEqualTo(
            json(
                """
        {"name": "devkube", "region": "sfo2", "version": "1.31.10-do.1",
         "node_pools": [{"name": "devpool", "size": "s-2vcpu-4gb", "count": 2}],
         "tags": ["dev"], "maintenance_policy": {"start_time": "03:30", "day": "any"},
         "auto_upgrade": true, "surge_upgrade": false, "ha": false}
        """));
  }

  @Test
  void optionsAreReadOnce() throws Exception {
    server.enqueue(200, DoServer.options());

    assertThat(cloud.options().latestVersion().slug()).isEqualTo("1.31.10-do.1");
    assertThat(cloud.options().regions()).extracting(r -> r.slug()).containsExactly("nyc1", "sfo2");
    assertThat(cloud.options().versions().get(1).supportedFeatures())
        .containsExactly("cluster-autoscaler");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aSpecNotOfferedIsRefusedBeforeTheCreateCall() {
    server.enqueue(200, DoServer.options());

    assertThatThrownBy(() -> cloud.clusters().create(SPEC.region("sfo3")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region \"sfo3\" is not offered: nearest are sfo2, nyc1");
    assertThatThrownBy(() -> cloud.clusters().create(SPEC.nodePool("big", "s-8vcpu-16gb", 1)))
        .hasMessageStartingWith("node pool big size \"s-8vcpu-16gb\" is not offered: nearest are");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void anInvalidSpecIsRefusedBeforeAnyRequest() {
    assertThatThrownBy(() -> cloud.clusters().create(ClusterSpec.named("devkube").region("sfo2")))
        .hasMessageStartingWith("cluster devkube has no node pool");
    assertThat(server.server.getRequestCount()).isZero();
  }

  @Test
  void createOrGetAdoptsTheClusterOfThatName() throws Exception {
    server.enqueue(200, "{\"kubernetes_clusters\": [" + cluster("c9", "devkube", "running") + "]}");

    Cluster cluster = cloud.clusters().createOrGet(SPEC);

    assertThat(cluster.id()).isEqualTo("c9");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
    assertThat(server.take().getMethod()).isEqualTo("GET");
  }

  @Test
  void createOrGetCreatesWhenNoneExists() throws Exception {
    server.enqueue(200, "{\"kubernetes_clusters\": []}");
    server.enqueue(200, DoServer.options());
    server.enqueue(201, envelope(cluster("new-id", "devkube", "provisioning")));

    assertThat(cloud.clusters().createOrGet(SPEC).id()).isEqualTo("new-id");
    assertThat(server.server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void createOrGetRefusesAClusterInAnotherRegionOrVersion() {
    server.enqueue(200, "{\"kubernetes_clusters\": [" + cluster("c9", "devkube", "running") + "]}");
    server.enqueue(200, "{\"kubernetes_clusters\": [" + cluster("c9", "devkube", "running") + "]}");

    assertThatThrownBy(() -> cloud.clusters().createOrGet(SPEC.region("nyc1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "cluster devkube already exists in region sfo2, not nyc1: use region(\"sfo2\"),"
                + " another name, or delete the existing cluster");
    assertThatThrownBy(() -> cloud.clusters().createOrGet(SPEC.version("1.30.14-do.2")))
        .hasMessage(
            "cluster devkube already exists with version 1.31.1-do.5, not 1.30.14-do.2: use"
                + " version(\"1.31.1-do.5\"), upgrade it, or delete it");
  }

  @Test
  void aCreateThatFailedAmbiguouslyAdoptsWhatItMade() throws Exception {
    server.enqueue(200, DoServer.options());
    server.enqueue(503, "{\"id\": \"service_unavailable\", \"message\": \"try later\"}");
    server.enqueue(
        200, "{\"kubernetes_clusters\": [" + cluster("made", "devkube", "provisioning") + "]}");

    Cluster cluster = cloud.clusters().create(SPEC);

    assertThat(cluster.id()).isEqualTo("made");
    assertThat(server.take().getTarget()).isEqualTo("/v2/kubernetes/options");
    assertThat(server.take().getMethod()).isEqualTo("POST");
    RecordedRequest lookup = server.take();
    assertThat(lookup.getMethod()).isEqualTo("GET");
    assertThat(lookup.getTarget()).isEqualTo("/v2/kubernetes/clusters?per_page=200");
    assertThat(server.server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aDroppedCreateIsNotRepeatedWhenNothingWasMade() {
    server.enqueue(200, DoServer.options());
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(200, "{\"kubernetes_clusters\": []}");

    assertThatThrownBy(() -> cloud.clusters().create(SPEC))
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith(
            "create cluster devkube made nothing: no cluster named devkube exists after it, so"
                + " trying again is safe (what failed: the connection to DigitalOcean (");
    // options, the one POST, the lookup: the create was not sent twice.
    assertThat(server.server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void http401IsAnAuthenticationExceptionNamingTheVariable() {
    server.enqueue(
        401,
        "{\"id\": \"unauthorized\", \"message\": \"Unable to authenticate you.\"}",
        "x-request-id",
        "4d9d8375-3c56-4925-a3e7-eb137fed17e9");

    assertThatThrownBy(() -> cloud.clusters().get("c1"))
        .isInstanceOfSatisfying(
            AuthenticationException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "DigitalOcean rejected the token (unauthorized): check"
                          + " DIGITALOCEAN_ACCESS_TOKEN (HTTP 401 unauthorized, request id"
                          + " 4d9d8375-3c56-4925-a3e7-eb137fed17e9)");
              assertThat(e.serverMessage()).isEqualTo("Unable to authenticate you.");
              assertThat(e.requestId()).isEqualTo("4d9d8375-3c56-4925-a3e7-eb137fed17e9");
            })
        .hasMessageNotContaining(DoServer.TOKEN);
  }

  @Test
  void http404IsNotFoundNamingTheCluster() {
    server.enqueue(
        404,
        "{\"id\": \"not_found\", \"message\": \"The resource you were accessing"
            + " could not be found.\", \"request_id\": \"r-404\"}");

    assertThatThrownBy(() -> cloud.clusters().get("6f3b"))
        .isInstanceOf(NotFoundException.class)
        .hasMessage(
            "get cluster 6f3b failed: The resource you were accessing could not be found."
                + " (HTTP 404 not_found, request id r-404)");
  }

  @Test
  void http422IsInvalidWithDigitalOceansMessage() {
    server.enqueue(200, DoServer.options());
    server.enqueue(
        422, "{\"id\": \"unprocessable_entity\", \"message\": \"name is already in use\"}");

    assertThatThrownBy(() -> cloud.clusters().create(SPEC))
        .isInstanceOfSatisfying(
            InvalidException.class,
            e -> {
              assertThat(e)
                  .hasMessage(
                      "create cluster devkube failed: name is already in use (HTTP 422"
                          + " unprocessable_entity)");
              assertThat(e.isRetryable()).isFalse();
            });
  }

  @Test
  void aNonJsonErrorBodyStillGivesAMessage() {
    server.enqueue(400, "<html>Bad Request</html>");

    assertThatThrownBy(() -> cloud.clusters().get("c1"))
        .isExactlyInstanceOf(ApiException.class)
        .hasMessage("get cluster c1 failed: <html>Bad Request</html> (HTTP 400)");
  }

  @Test
  void malformedJsonIsATransportExceptionNamingTheCall() {
    server.enqueue(200, "{\"kubernetes_cluster\": {\"id\": \"c1\", \"name\": ");
    server.enqueue(200, "{\"kubernetes_cluster\": {\"id\": \"c1\", \"node_pools\": 7}}");

    assertThatThrownBy(() -> cloud.clusters().get("c1"))
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith(
            "DigitalOcean's answer to get cluster c1 was cut short or is not the"
                + " JSON expected: ");
    assertThatThrownBy(() -> cloud.clusters().get("c1"))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("$.kubernetes_cluster.node_pools");
  }

  @Test
  void unknownFieldsAndStatesAreTolerated() {
    server.enqueue(
        200,
        "{\"kubernetes_cluster\": {\"id\": \"c1\", \"name\": \"x\", \"brand_new\":"
            + " {\"a\": [1, 2]}, \"status\": {\"state\": \"hibernating\"}}}");

    Cluster cluster = cloud.clusters().get("c1");

    assertThat(cluster.status()).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(cluster.nodePools()).isEmpty();
    assertThat(cluster.tags()).isEmpty();
    assertThat(cluster.endpoint()).isNull();
  }

  @Test
  void requestsCarryNoBodyFieldsTheyDoNotNeed() throws Exception {
    server.enqueue(200, DoServer.options());
    server.enqueue(201, envelope(cluster("new-id", "devkube", "provisioning")));

    cloud.clusters().create(SPEC);

    server.take();
    Map<String, Object> body = json(DoServer.body(server.take()));
    assertThat(body).doesNotContainKeys("tags", "vpc_uuid", "maintenance_policy");
    @SuppressWarnings("unchecked")
    Map<String, Object> pool =
        ((List<Map<String, Object>>) Objects.requireNonNull(body.get("node_pools"))).get(0);
    assertThat(pool).containsOnlyKeys("name", "size", "count");
  }
}
