package dev.devkube.digitalocean;

import static dev.devkube.digitalocean.DoServer.cluster;
import static dev.devkube.digitalocean.DoServer.envelope;
import static dev.devkube.digitalocean.DoServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.AssociatedResources;
import dev.devkube.Cluster;
import dev.devkube.ClusterCredentials;
import dev.devkube.ClusterStatus;
import dev.devkube.ClusterUpdate;
import dev.devkube.DeleteOption;
import dev.devkube.NodePool;
import dev.devkube.NodePoolSpec;
import dev.devkube.NotFoundException;
import dev.devkube.Progress;
import dev.devkube.TransportException;
import dev.devkube.WaitFailedException;
import dev.devkube.WaitTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ClusterLifecycleTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  private DoServer server;
  private DigitalOcean cloud;
  private Cluster cluster;

  @BeforeEach
  void start() throws Exception {
    server = new DoServer();
    cloud = server.provider();
    server.enqueue(200, envelope(cluster("c1", "devkube", "provisioning")));
    cluster = cloud.clusters().get("c1");
    server.take();
  }

  @AfterEach
  void stop() throws Exception {
    cloud.close();
    server.close();
  }

  private static String withNodes(String state, String... nodeStates) {
    StringBuilder nodes = new StringBuilder();
    for (int i = 0; i < nodeStates.length; i++) {
      nodes
          .append(i == 0 ? "" : ",")
          .append("{\"id\": \"n")
          .append(i)
          .append("\", \"status\":" + " {\"state\": \"")
          .append(nodeStates[i])
          .append("\"}}");
    }
    return envelope(
        "{\"id\": \"c1\", \"name\": \"devkube\", \"status\": {\"state\": \""
            + state
            + "\", \"message\": \""
            + state
            + " step\"}, \"node_pools\": [{\"id\": \"p\", \"name\":"
            + " \"devpool\", \"count\": 2, \"nodes\": ["
            + nodes
            + "]}]}");
  }

  @Test
  void awaitRunningPollsWithBackoffAndReportsNodes() {
    server.enqueue(200, withNodes("provisioning"));
    server.enqueue(200, withNodes("provisioning", "running", "provisioning"));
    server.enqueue(200, withNodes("running", "running", "running"));
    List<Progress> reports = new ArrayList<>();

    Cluster running = cluster.awaitRunning(Duration.ofMinutes(20), reports::add);

    assertThat(running.status()).isEqualTo(ClusterStatus.RUNNING);
    assertThat(reports)
        .extracting(Progress::toString)
        .containsExactly(
            "cluster devkube to be running: provisioning (provisioning step), 0/2 ready, 0ms",
            "cluster devkube to be running: provisioning (provisioning step), 1/2 ready, 2s");
    assertThat(server.clock.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
  }

  @Test
  void awaitRunningFailsAtOnceOnError() {
    server.enqueue(200, withNodes("error"));

    assertThatThrownBy(() -> cluster.awaitRunning(Duration.ofMinutes(20)))
        .isInstanceOf(WaitFailedException.class)
        .hasMessage("gave up waiting for cluster devkube to be running: state error: error step");
    assertThat(server.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void awaitRunningTimesOutNamingTheLastState() {
    for (int i = 0; i < 6; i++) {
      server.enqueue(200, withNodes("provisioning", "running"));
    }

    assertThatThrownBy(() -> cluster.awaitRunning(Duration.ofSeconds(30), p -> {}))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage(
            "timed out after 30s waiting for cluster devkube to be running; last state:"
                + " provisioning (provisioning step)");
  }

  @Test
  void awaitRunningHoldsOffUntilTheRateLimitResets() {
    long reset = DoServer.NOW.getEpochSecond() + 40;
    server.enqueue(
        200,
        withNodes("provisioning"),
        "ratelimit-remaining",
        "0",
        "ratelimit-reset",
        String.valueOf(reset));
    server.enqueue(200, withNodes("running"), "ratelimit-remaining", "4999");

    cluster.awaitRunning(Duration.ofMinutes(20), p -> {});

    assertThat(server.clock.sleeps()).containsExactly(Duration.ofSeconds(40));
  }

  @Test
  void credentialsComeFromTheJsonEndpoint() throws Exception {
    String ca = Base64.getEncoder().encodeToString(CA.getBytes(StandardCharsets.UTF_8));
    server.enqueue(
        200,
        "{\"server\": \"https://c1.k8s.ondigitalocean.com\", \"certificate_authority_data\":"
            + " \""
            + ca
            + "\", \"client_certificate_data\": null, \"client_key_data\": null,"
            + " \"token\": \"doks-token-123\", \"expires_at\": \"2026-12-01T12:00:00.371Z\"}");

    ClusterCredentials credentials = cluster.credentials();

    assertThat(credentials.server()).hasToString("https://c1.k8s.ondigitalocean.com");
    assertThat(credentials.caCertificate()).isEqualTo(CA);
    assertThat(credentials.token()).isEqualTo("doks-token-123");
    assertThat(credentials.clientCertificate()).isNull();
    assertThat(credentials.expiresAt()).isEqualTo(Instant.parse("2026-12-01T12:00:00.371Z"));
    assertThat(credentials.clusterName()).isEqualTo("devkube");
    assertThat(server.take().getTarget()).isEqualTo("/v2/kubernetes/clusters/c1/credentials");
  }

  @Test
  void credentialsWithoutAServerUseTheClusterEndpoint() {
    server.enqueue(200, "{\"token\": \"t\", \"expires_at\": \"2026-12-01T12:00:00Z\"}");

    ClusterCredentials credentials = cluster.credentials();

    assertThat(credentials.server()).hasToString("https://c1.k8s.ondigitalocean.com");
    assertThat(credentials.caCertificate()).isNull();
  }

  @Test
  void credentialsOfAClusterWithNoEndpointYetAreAClearError() {
    server.enqueue(200, withNodes("provisioning"));
    Cluster provisioning = cluster.refresh();
    server.enqueue(200, "{\"token\": \"t\"}");

    assertThatThrownBy(provisioning::credentials)
        .isInstanceOf(TransportException.class)
        .hasMessage(
            "DigitalOcean gave no API server address for cluster devkube (state"
                + " provisioning): wait until it is running");
  }

  @Test
  void credentialsOfARunningClusterWithNoAddressSayWhatToDo() {
    server.enqueue(200, withNodes("running"));
    Cluster running = cluster.refresh();
    server.enqueue(200, "{\"token\": \"t\"}");

    assertThatThrownBy(running::credentials)
        .isInstanceOf(TransportException.class)
        .hasMessage(
            "DigitalOcean gave no API server address for cluster devkube, although it is"
                + " running: ask again in a minute; if it persists, the cluster's page in the"
                + " DigitalOcean control panel says why");
  }

  @Test
  void kubeconfigIsDigitalOceansYaml() throws Exception {
    server.enqueue(
        new mockwebserver3.MockResponse.Builder()
            .code(200)
            .addHeader("Content-Type", "application/yaml")
            .body("apiVersion: v1\nkind: Config\n")
            .build());

    assertThat(cluster.kubeconfig()).isEqualTo("apiVersion: v1\nkind: Config\n");
    assertThat(server.take().getTarget()).isEqualTo("/v2/kubernetes/clusters/c1/kubeconfig");
  }

  @Test
  void updateAlwaysSendsTheName() throws Exception {
    server.enqueue(202, envelope(cluster("c1", "devkube", "running")));

    cluster.update(ClusterUpdate.of().tags("dev").autoUpgrade(true));

    RecordedRequest request = server.take();
    assertThat(request.getMethod()).isEqualTo("PUT");
    assertThat(request.getTarget()).isEqualTo("/v2/kubernetes/clusters/c1");
    assertThat(json(DoServer.body(request)))
        .isEqualTo(json("{\"name\": \"devkube\", \"tags\": [\"dev\"], \"auto_upgrade\": true}"));
  }

  @Test
  void nodePoolsResizeAddAndDelete() throws Exception {
    server.enqueue(
        202,
        "{\"node_pool\": {\"id\": \"pool-1\", \"name\": \"devpool\", \"size\":"
            + " \"s-2vcpu-4gb\", \"count\": 3, \"nodes\": []}}");
    server.enqueue(
        201,
        "{\"node_pool\": {\"id\": \"pool-2\", \"name\": \"big\", \"size\":"
            + " \"s-4vcpu-8gb\", \"count\": 1, \"auto_scale\": true, \"min_nodes\": 1, \"max_nodes\": 3}}");
    server.enqueue(204, "");

    NodePool resized = cluster.nodePool("devpool").resize(3);
    NodePool added =
        cluster.addNodePool(NodePoolSpec.of("big", "s-4vcpu-8gb", 1).withAutoScale(1, 3));
    added.delete();

    assertThat(resized.count()).isEqualTo(3);
    assertThat(added.autoScale()).isTrue();
    assertThat(added.maxNodes()).isEqualTo(3);
    RecordedRequest resize = server.take();
    assertThat(resize.getMethod()).isEqualTo("PUT");
    assertThat(resize.getTarget()).isEqualTo("/v2/kubernetes/clusters/c1/node_pools/pool-1");
    assertThat(json(DoServer.body(resize)))
        .isEqualTo(json("{\"name\": \"devpool\", \"count\": 3}"));
    RecordedRequest add = server.take();
    assertThat(add.getMethod()).isEqualTo("POST");
    assertThat(json(DoServer.body(add)))
        .isEqualTo(
            json(
                "{\"name\": \"big\", \"size\": \"s-4vcpu-8gb\","
                    + " \"count\": 1, \"auto_scale\": true, \"min_nodes\": 1, \"max_nodes\": 3}"));
    RecordedRequest delete = server.take();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getTarget()).isEqualTo("/v2/kubernetes/clusters/c1/node_pools/pool-2");
  }

  @Test
  void nodePoolMistakesAreRefusedBeforeSending() {
    assertThatThrownBy(() -> cluster.nodePool("gpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster devkube has no node pool \"gpu\": it has devpool");
    assertThatThrownBy(() -> cluster.nodePool("devpool").resize(0))
        .hasMessage(
            "node pool devpool count 0 is below 1: a pool needs at least one node (delete"
                + " the pool to remove it)");
    assertThatThrownBy(() -> cluster.addNodePool(NodePoolSpec.of("devpool", "s-1vcpu-2gb", 1)))
        .hasMessage(
            "cluster devkube already has a node pool named \"devpool\": give the new pool its"
                + " own name");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void upgradesAreListedOldestFirstAndCheckedBeforeUpgrading() throws Exception {
    String upgrades =
        "{\"available_upgrade_versions\": [{\"slug\": \"1.32.2-do.0\", \"kubernetes_version\":"
            + " \"1.32.2\"}, {\"slug\": \"1.31.10-do.1\", \"kubernetes_version\": \"1.31.10\"}]}";
    server.enqueue(200, upgrades);
    server.enqueue(200, upgrades);
    server.enqueue(200, upgrades);
    server.enqueue(202, "");
    server.enqueue(200, envelope(cluster("c1", "devkube", "upgrading")));

    assertThat(cluster.availableUpgrades()).containsExactly("1.31.10-do.1", "1.32.2-do.0");
    assertThatThrownBy(() -> cluster.upgrade("1.40.0-do.0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cluster devkube cannot be upgraded to \"1.40.0-do.0\": available are"
                + " 1.31.10-do.1, 1.32.2-do.0");
    assertThat(cluster.upgrade("1.32.2-do.0").status()).isEqualTo(ClusterStatus.UPGRADING);

    server.take();
    server.take();
    server.take();
    RecordedRequest upgrade = server.take();
    assertThat(upgrade.getMethod()).isEqualTo("POST");
    assertThat(upgrade.getTarget()).isEqualTo("/v2/kubernetes/clusters/c1/upgrade");
    assertThat(json(DoServer.body(upgrade))).isEqualTo(json("{\"version\": \"1.32.2-do.0\"}"));
  }

  @Test
  void noUpgradesIsAnEmptyList() {
    server.enqueue(200, "{\"available_upgrade_versions\": null}");

    assertThat(cluster.availableUpgrades()).isEmpty();
  }

  private static final String NOT_FOUND =
      "{\"id\": \"not_found\", \"message\": \"The resource you were accessing could not be"
          + " found.\"}";

  private void loseTheAnswer() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
  }

  @Test
  void aDeleteWhoseAnswerWasLostIsDoneWhenTheRetryFindsNothing() throws Exception {
    loseTheAnswer();
    server.enqueue(404, NOT_FOUND);

    cluster.delete();

    assertThat(server.take().getMethod()).isEqualTo("DELETE");
    assertThat(server.take().getMethod()).isEqualTo("DELETE");
  }

  @Test
  void aNodePoolDeleteAfterA5xxIsDoneWhenTheRetryFindsNothing() throws Exception {
    server.enqueue(503, "{\"id\": \"service_unavailable\", \"message\": \"try again\"}");
    server.enqueue(404, NOT_FOUND);

    cluster.nodePool("devpool").delete();

    assertThat(server.server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aDeleteOfWhatNeverExistedIsStillNotFound() {
    server.enqueue(404, NOT_FOUND);

    assertThatThrownBy(cluster::delete).isInstanceOf(NotFoundException.class);
  }

  @Test
  void a204WithAStrayBodySaysWhatWasWrongWithTheAnswer() {
    server.enqueue(new MockResponse.Builder().code(204).body("{\"oops\": true}").build());

    assertThatThrownBy(cluster::delete)
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith(
            "DigitalOcean (localhost) answered delete cluster devkube, but not as HTTP allows")
        .hasMessageContaining("HTTP 204 had non-zero Content-Length")
        .hasMessageEndingWith("; it may have done it: look before trying again");
  }

  @Test
  void plainDeleteKeepsVolumes() throws Exception {
    server.enqueue(204, "");

    cluster.delete();

    RecordedRequest delete = server.take();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getTarget()).isEqualTo("/v2/kubernetes/clusters/c1");
  }

  @Test
  void deleteWithVolumesDestroysOnlyThose() throws Exception {
    server.enqueue(
        200,
        "{\"load_balancers\": [{\"id\": \"lb1\", \"name\": \"lb-001\"}], \"volumes\":"
            + " [{\"id\": \"v1\", \"name\": \"pvc-1\"}], \"volume_snapshots\": []}");
    AssociatedResources resources = cluster.associatedResources();
    server.enqueue(
        200,
        "{\"load_balancers\": [{\"id\": \"lb1\", \"name\": \"lb-001\"}], \"volumes\":"
            + " [{\"id\": \"v1\", \"name\": \"pvc-1\"}], \"volume_snapshots\": []}");
    server.enqueue(204, "");

    cluster.delete(DeleteOption.DESTROY_VOLUMES);

    assertThat(resources.volumes())
        .containsExactly(new AssociatedResources.Resource("v1", "pvc-1"));
    assertThat(resources.loadBalancers())
        .extracting(AssociatedResources.Resource::name)
        .containsExactly("lb-001");
    assertThat(server.take().getTarget())
        .isEqualTo("/v2/kubernetes/clusters/c1/destroy_with_associated_resources");
    assertThat(server.take().getTarget())
        .isEqualTo("/v2/kubernetes/clusters/c1/destroy_with_associated_resources");
    RecordedRequest selective = server.take();
    assertThat(selective.getMethod()).isEqualTo("DELETE");
    assertThat(selective.getTarget())
        .isEqualTo("/v2/kubernetes/clusters/c1/destroy_with_associated_resources/selective");
    assertThat(json(DoServer.body(selective)))
        .isEqualTo(
            json("{\"load_balancers\": [], \"volumes\": [\"v1\"], \"volume_snapshots\": []}"));
  }

  @Test
  void deleteWithEverythingUsesTheDangerousEndpoint() throws Exception {
    server.enqueue(204, "");

    cluster.delete(DeleteOption.values());

    RecordedRequest request = server.take();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getTarget())
        .isEqualTo("/v2/kubernetes/clusters/c1/destroy_with_associated_resources/dangerous");
  }

  @Test
  void awaitDeletedEndsWhenTheClusterIsGone() {
    server.enqueue(200, withNodes("deleting"));
    server.enqueue(404, "{\"id\": \"not_found\", \"message\": \"gone\"}");

    cluster.awaitDeleted(Duration.ofMinutes(5));

    assertThat(server.clock.sleeps()).containsExactly(Duration.ofSeconds(2));
  }
}
