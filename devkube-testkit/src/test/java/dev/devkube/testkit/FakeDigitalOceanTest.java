package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.testkit.internal.Doc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake DigitalOcean API over raw HTTP: no devkube client code involved. */
class FakeDigitalOceanTest {
  /** A clock the test moves by hand. */
  static final class HandClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-24T12:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  record Answer(int code, String body, @Nullable Object json, Response response) {
    @Nullable Object get(String path) {
      return Doc.get(json, path);
    }
  }

  private final HandClock clock = new HandClock();
  private final OkHttpClient http = new OkHttpClient();
  private FakeDigitalOcean fake;

  private final FakeDigitalOcean.Builder builder =
      FakeDigitalOcean.builder()
          .clock(clock)
          .provisioningTime(Duration.ofMinutes(5))
          .rateLimitPerMinute(20);

  @BeforeEach
  void start() {
    fake = builder.start();
  }

  @AfterEach
  void stop() {
    fake.close();
    http.dispatcher().executorService().shutdown();
  }

  private Answer send(String method, String path, @Nullable String body, String token)
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
      return new Answer(response.code(), text, text.isBlank() ? null : Doc.parse(text), response);
    }
  }

  private Answer send(String method, String path, @Nullable String body) throws IOException {
    return send(method, path, body, FakeDigitalOcean.TOKEN);
  }

  private static final String CREATE =
      "{\"name\":\"%s\",\"region\":\"sfo2\",\"version\":\"latest\","
          + "\"node_pools\":[{\"name\":\"devpool\",\"size\":\"s-2vcpu-4gb\",\"count\":2}]}";

  @Test
  void aRunningFakeKeepsTheSettingsItStartedWith() throws IOException {
    builder.tokens("another-token").regions("nyc1").rateLimitPerMinute(1);

    assertThat(send("GET", "/v2/kubernetes/clusters", null).code()).isEqualTo(200);
    assertThat(send("GET", "/v2/kubernetes/clusters", null, "another-token").code()).isEqualTo(401);
    Answer created = send("POST", "/v2/kubernetes/clusters", String.format(CREATE, "devkube"));
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(created.response().header("ratelimit-limit")).isEqualTo("20");
  }

  private String createCluster(String name) throws IOException {
    Answer created = send("POST", "/v2/kubernetes/clusters", String.format(CREATE, name));
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    return String.valueOf(created.get("kubernetes_cluster.id"));
  }

  private static final Pattern UUID_FORMAT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  @Test
  void aBadNodePoolIsRefusedWith422AndTheClusterStaysReadable() throws IOException {
    String id = createCluster("devkube");
    String pools = "/v2/kubernetes/clusters/" + id + "/node_pools";

    Answer noCount = send("POST", pools, "{\"name\":\"more\",\"size\":\"s-2vcpu-4gb\"}");
    assertThat(noCount.code()).isEqualTo(422);
    assertThat(noCount.get("message")).isEqualTo("node pool count must be at least 1");
    Answer badSize = send("POST", pools, "{\"name\":\"more\",\"size\":\"s-64vcpu\",\"count\":1}");
    assertThat(badSize.code()).isEqualTo(422);
    assertThat(badSize.get("message")).isEqualTo("size is not available: s-64vcpu");
    assertThat(send("GET", "/v2/kubernetes/clusters/" + id, null).code()).isEqualTo(200);
    assertThat(send("GET", "/v2/kubernetes/clusters", null).code()).isEqualTo(200);
  }

  @Test
  void nodePoolAnswersCarryNodesAndAnUpdateKeepsWhatItDoesNotName() throws IOException {
    String id = createCluster("devkube");
    String pools = "/v2/kubernetes/clusters/" + id + "/node_pools";
    Answer added =
        send(
            "POST",
            pools,
            "{\"name\":\"big\",\"size\":\"s-4vcpu-8gb\",\"count\":2,\"labels\":{\"tier\":\"db\"},"
                + "\"taints\":[{\"key\":\"db\",\"value\":\"yes\",\"effect\":\"NoSchedule\"}],"
                + "\"auto_scale\":true,\"min_nodes\":1,\"max_nodes\":3,\"tags\":[\"mine\"]}");
    assertThat(added.code()).as(added.body()).isEqualTo(201);
    assertThat((List<?>) added.get("node_pool.nodes")).hasSize(2);
    String poolId = String.valueOf(added.get("node_pool.id"));

    Answer updated = send("PUT", pools + "/" + poolId, "{\"name\":\"bigger\",\"count\":3}");
    assertThat(updated.code()).as(updated.body()).isEqualTo(202);
    assertThat(updated.get("node_pool.name")).isEqualTo("bigger");
    assertThat((List<?>) updated.get("node_pool.nodes")).hasSize(3);
    assertThat(updated.get("node_pool.labels")).isEqualTo(Map.of("tier", "db"));
    assertThat((List<?>) updated.get("node_pool.taints")).hasSize(1);
    assertThat(updated.get("node_pool.auto_scale")).isEqualTo(true);
    assertThat(updated.get("node_pool.max_nodes")).isEqualTo(3L);
    assertThat(String.valueOf(updated.get("node_pool.tags"))).contains("mine", "k8s:worker");
    Answer got = send("GET", pools + "/" + poolId, null);
    assertThat((List<?>) got.get("node_pool.nodes")).hasSize(3);
  }

  @Test
  void aNodeCanBeDeletedOrReplaced() throws IOException {
    String id = createCluster("devkube");
    String pools = "/v2/kubernetes/clusters/" + id + "/node_pools";
    Map<?, ?> pool =
        (Map<?, ?>)
            ((List<?>) Objects.requireNonNull(send("GET", pools, null).get("node_pools"))).get(0);
    String poolId = String.valueOf(pool.get("id"));
    List<?> nodes = (List<?>) Objects.requireNonNull(pool.get("nodes"));
    String first = String.valueOf(Doc.get(nodes.get(0), "id"));
    assertThat(first).matches(UUID_FORMAT);

    Answer replaced = send("DELETE", pools + "/" + poolId + "/nodes/" + first + "?replace=1", null);
    assertThat(replaced.code()).isEqualTo(202);
    assertThat(replaced.response().header("Content-Type")).isNull();
    List<?> afterReplace =
        (List<?>)
            Objects.requireNonNull(send("GET", pools + "/" + poolId, null).get("node_pool.nodes"));
    assertThat(afterReplace).hasSize(2);
    assertThat(afterReplace).extracting(n -> Doc.get(n, "id")).doesNotContain(first);

    String second = String.valueOf(Doc.get(afterReplace.get(1), "id"));
    assertThat(send("DELETE", pools + "/" + poolId + "/nodes/" + second, null).code())
        .isEqualTo(202);
    Answer shrunk = send("GET", pools + "/" + poolId, null);
    assertThat(shrunk.get("node_pool.count")).isEqualTo(1L);
    assertThat(send("DELETE", pools + "/" + poolId + "/nodes/" + second, null).code())
        .isEqualTo(404);
  }

  @Test
  void anUpgradeMustBeToAnOfferedNewerVersion() throws IOException {
    Answer created =
        send(
            "POST",
            "/v2/kubernetes/clusters",
            String.format(CREATE, "old").replace("\"latest\"", "\"1.31.9-do.3\""));
    String id = String.valueOf(created.get("kubernetes_cluster.id"));

    Answer refused =
        send("POST", "/v2/kubernetes/clusters/" + id + "/upgrade", "{\"version\":\"9.99.0-do.0\"}");
    assertThat(refused.code()).isEqualTo(422);
    assertThat(String.valueOf(refused.get("message")))
        .startsWith("version 9.99.0-do.0 is not an available upgrade for this cluster");
    Answer accepted =
        send("POST", "/v2/kubernetes/clusters/" + id + "/upgrade", "{\"version\":\"1.32.5-do.1\"}");
    assertThat(accepted.code()).isEqualTo(202);
    assertThat(accepted.response().header("Content-Type")).isNull();
  }

  @Test
  void credentialsLastAsLongAsAsked() throws IOException {
    String id = createCluster("devkube");
    clock.advance(Duration.ofMinutes(6));
    send("GET", "/v2/kubernetes/clusters/" + id, null);

    Answer shortLived =
        send("GET", "/v2/kubernetes/clusters/" + id + "/credentials?expiry_seconds=300", null);
    assertThat(Instant.parse(String.valueOf(shortLived.get("expires_at"))))
        .isEqualTo(clock.instant().plusSeconds(300));
    Answer usual = send("GET", "/v2/kubernetes/clusters/" + id + "/credentials", null);
    assertThat(Instant.parse(String.valueOf(usual.get("expires_at"))))
        .isEqualTo(clock.instant().plus(Duration.ofDays(7)));
  }

  @Test
  void idsAreUuidsAndEveryClusterHasAVpc() throws IOException {
    String id = createCluster("devkube");
    Answer cluster = send("GET", "/v2/kubernetes/clusters/" + id, null);
    assertThat(String.valueOf(cluster.get("kubernetes_cluster.vpc_uuid"))).matches(UUID_FORMAT);
    Answer deleted = send("DELETE", "/v2/kubernetes/clusters/" + id, null);
    assertThat(deleted.code()).isEqualTo(204);
    assertThat(deleted.response().header("Content-Type")).isNull();
  }

  @Test
  void theAccountIsServedAndWhatIsNotServedSaysSo() throws IOException {
    Answer account = send("GET", "/v2/account", null);
    assertThat(account.code()).isEqualTo(200);
    assertThat(account.get("account.status")).isEqualTo("active");
    Answer regions = send("GET", "/v2/regions", null);
    assertThat(regions.code()).isEqualTo(501);
    assertThat(regions.get("message"))
        .isEqualTo(
            "FakeDigitalOcean does not serve GET /v2/regions: it fakes /v2/kubernetes,"
                + " /v2/volumes, /v2/snapshots, /v2/nfs and GET /v2/account");
    Answer unauthorized = send("GET", "/v2/account", null, "wrong");
    assertThat(unauthorized.code()).isEqualTo(401);
    assertThat(unauthorized.response().header("ratelimit-limit")).isEqualTo("20");
  }

  @Test
  void aLostAnswerFollowsAChangeThatWasMade() throws IOException {
    String id = createCluster("devkube");
    fake.loseNextAnswers(1, "DELETE", "/v2/kubernetes/clusters/");

    OkHttpClient once = http.newBuilder().retryOnConnectionFailure(false).build();
    Request delete =
        new Request.Builder()
            .url(fake.url().resolve("/v2/kubernetes/clusters/" + id).toString())
            .delete()
            .header("Authorization", "Bearer " + FakeDigitalOcean.TOKEN)
            .build();
    assertThatThrownBy(() -> once.newCall(delete).execute().close())
        .isInstanceOf(IOException.class);
    assertThat(send("GET", "/v2/kubernetes/clusters/" + id, null).code()).isEqualTo(404);
    assertThat(fake.clusterIds()).isEmpty();
  }

  @Test
  void aBadTokenGetsDigitalOceans401() throws IOException {
    Answer answer = send("GET", "/v2/kubernetes/clusters", null, "wrong");

    assertThat(answer.code()).isEqualTo(401);
    assertThat(answer.get("id")).isEqualTo("unauthorized");
    assertThat(answer.get("message")).isEqualTo("Unable to authenticate you.");
  }

  @Test
  void clustersProvisionThenRunBackedByAFakeKubernetes() throws IOException {
    Answer created = send("POST", "/v2/kubernetes/clusters", String.format(CREATE, "devkube"));
    assertThat(created.code()).isEqualTo(201);
    assertThat(created.get("kubernetes_cluster.status.state")).isEqualTo("provisioning");
    assertThat(created.get("kubernetes_cluster.version")).isEqualTo("1.33.1-do.0");
    String id = String.valueOf(created.get("kubernetes_cluster.id"));
    assertThat(send("GET", "/v2/kubernetes/clusters/" + id + "/credentials", null).code())
        .isEqualTo(404);

    clock.advance(Duration.ofMinutes(3));
    Answer halfway = send("GET", "/v2/kubernetes/clusters/" + id, null);
    assertThat(halfway.get("kubernetes_cluster.status.message")).isEqualTo("creating nodes");

    clock.advance(Duration.ofMinutes(3));
    Answer running = send("GET", "/v2/kubernetes/clusters/" + id, null);
    assertThat(running.get("kubernetes_cluster.status.state")).isEqualTo("running");
    assertThat(running.body()).doesNotContain("\"provisioning\"");
    FakeKubernetes kubernetes = Objects.requireNonNull(fake.kubernetes(id));
    assertThat(running.get("kubernetes_cluster.endpoint")).isEqualTo(kubernetes.url().toString());
    Answer credentials = send("GET", "/v2/kubernetes/clusters/" + id + "/credentials", null);
    assertThat(credentials.get("token")).isEqualTo(kubernetes.credentials().token());
    assertThat(credentials.get("server")).isEqualTo(kubernetes.url().toString());
  }

  @Test
  void invalidSpecsAre422() throws IOException {
    Answer bad =
        send(
            "POST",
            "/v2/kubernetes/clusters",
            String.format(CREATE, "Bad_Name").replace("sfo2", "xyz9"));

    assertThat(bad.code()).isEqualTo(422);
    assertThat(bad.get("id")).isEqualTo("unprocessable_entity");
    assertThat((String) bad.get("message"))
        .contains("name must be a valid DNS label")
        .contains("region is not available for Kubernetes: xyz9");
    send("POST", "/v2/kubernetes/clusters", String.format(CREATE, "taken"));
    assertThat(
            send("POST", "/v2/kubernetes/clusters", String.format(CREATE, "taken")).get("message"))
        .isEqualTo("a cluster with this name already exists");
    assertThat(send("GET", "/v2/kubernetes/clusters/nope", null).get("id")).isEqualTo("not_found");
  }

  @Test
  void listsPageWithLinksAndTotal() throws IOException {
    for (int i = 0; i < 3; i++) {
      send("POST", "/v2/kubernetes/clusters", String.format(CREATE, "c" + i));
    }

    Answer first = send("GET", "/v2/kubernetes/clusters?per_page=2", null);
    assertThat((List<?>) first.get("kubernetes_clusters")).hasSize(2);
    assertThat(first.get("meta.total")).isEqualTo(3L);
    String next = String.valueOf(first.get("links.pages.next"));
    assertThat(next).endsWith("/v2/kubernetes/clusters?page=2&per_page=2");
    Answer second = send("GET", next.substring(next.indexOf("/v2")), null);
    assertThat((List<?>) second.get("kubernetes_clusters")).hasSize(1);
    // The last page links back, as DigitalOcean's do, and on to nothing.
    assertThat(String.valueOf(second.get("links.pages.first")))
        .endsWith("/v2/kubernetes/clusters?page=1&per_page=2");
    assertThat(String.valueOf(second.get("links.pages.prev")))
        .endsWith("/v2/kubernetes/clusters?page=1&per_page=2");
    assertThat(second.get("links.pages.next")).isNull();
  }

  @Test
  void theRateLimitIsAnnouncedAndEnforced() throws IOException {
    Answer first = send("GET", "/v2/kubernetes/options", null);
    assertThat(first.response().header("ratelimit-limit")).isEqualTo("20");
    assertThat(first.response().header("ratelimit-remaining")).isEqualTo("19");
    assertThat(first.response().header("ratelimit-reset"))
        .isEqualTo(String.valueOf(Instant.parse("2026-11-24T12:01:00Z").getEpochSecond()));
    for (int i = 0; i < 19; i++) {
      send("GET", "/v2/kubernetes/options", null);
    }
    Answer limited = send("GET", "/v2/kubernetes/options", null);
    assertThat(limited.code()).isEqualTo(429);
    assertThat(limited.get("id")).isEqualTo("too_many_requests");
    clock.advance(Duration.ofMinutes(1));
    assertThat(send("GET", "/v2/kubernetes/options", null).code()).isEqualTo(200);
  }

  @Test
  void nodePoolsResizeAndDeletionRemovesTheCluster() throws IOException {
    String id =
        (String)
            send("POST", "/v2/kubernetes/clusters", String.format(CREATE, "devkube"))
                .get("kubernetes_cluster.id");
    String poolId =
        (String)
            ((Map<?, ?>)
                    ((List<?>)
                            Objects.requireNonNull(
                                send("GET", "/v2/kubernetes/clusters/" + id + "/node_pools", null)
                                    .get("node_pools")))
                        .get(0))
                .get("id");

    Answer resized =
        send(
            "PUT",
            "/v2/kubernetes/clusters/" + id + "/node_pools/" + poolId,
            "{\"name\":\"devpool\",\"count\":3}");
    assertThat(resized.get("node_pool.count")).isEqualTo(3L);
    assertThat(send("DELETE", "/v2/kubernetes/clusters/" + id, null).code()).isEqualTo(204);
    assertThat(send("GET", "/v2/kubernetes/clusters/" + id, null).code()).isEqualTo(404);
    assertThat(fake.clusterIds()).isEmpty();
  }
}
