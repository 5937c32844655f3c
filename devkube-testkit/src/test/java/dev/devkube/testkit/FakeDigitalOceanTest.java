package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.testkit.internal.Doc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
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
    assertThat(second.get("links.pages")).isNull();
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
