package dev.devkube.digitalocean;

import static dev.devkube.digitalocean.DoServer.cluster;
import static dev.devkube.digitalocean.DoServer.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.ClusterSpec;
import dev.devkube.RateLimitException;
import dev.devkube.TransportException;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryTest {
  private static final String CLUSTER = envelope(cluster("c1", "devkube", "running"));
  private DoServer server;
  private DigitalOcean cloud;

  @BeforeEach
  void start() throws Exception {
    server = new DoServer();
    cloud = server.builder().maxRetries(3).build();
  }

  @AfterEach
  void stop() throws Exception {
    cloud.close();
    server.close();
  }

  @Test
  void http429IsRetriedAfterRetryAfter() {
    server.enqueue(
        429,
        "{\"id\": \"too_many_requests\", \"message\": \"API Rate limit exceeded.\"}",
        "Retry-After",
        "7");
    server.enqueue(200, CLUSTER);

    assertThat(cloud.clusters().get("c1").id()).isEqualTo("c1");
    assertThat(server.clock.sleeps()).containsExactly(Duration.ofSeconds(7));
    assertThat(server.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void http429WithoutRetryAfterWaitsForTheRateLimitReset() {
    long reset = DoServer.NOW.getEpochSecond() + 12;
    server.enqueue(
        429,
        "{\"id\": \"too_many_requests\", \"message\": \"slow down\"}",
        "ratelimit-limit",
        "250",
        "ratelimit-remaining",
        "0",
        "ratelimit-reset",
        String.valueOf(reset));
    server.enqueue(200, CLUSTER);

    cloud.clusters().get("c1");

    assertThat(server.clock.sleeps()).containsExactly(Duration.ofSeconds(12));
  }

  @Test
  void aRateLimitLongerThanTheLongestWaitIsThrownWithRetryAfter() {
    server.enqueue(
        429,
        "{\"id\": \"too_many_requests\", \"message\": \"API Rate limit exceeded.\"}",
        "Retry-After",
        "3600");

    assertThatThrownBy(() -> cloud.clusters().get("c1"))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.retryAfter()).contains(Duration.ofHours(1));
              assertThat(e.isRetryable()).isTrue();
              assertThat(e)
                  .hasMessage(
                      "DigitalOcean's rate limit stopped get cluster c1: API Rate limit"
                          + " exceeded. (HTTP 429 too_many_requests)");
            });
    assertThat(server.clock.sleeps()).isEmpty();
  }

  @Test
  void http503ThenSuccessIsRetriedWithBackoff() {
    server.enqueue(503, "{\"id\": \"service_unavailable\", \"message\": \"busy\"}");
    server.enqueue(502, "bad gateway");
    server.enqueue(200, CLUSTER);

    assertThat(cloud.clusters().get("c1").id()).isEqualTo("c1");
    assertThat(server.clock.sleeps())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void retriesAreBounded() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(500, "{\"id\": \"server_error\", \"message\": \"Server Error\"}");
    }

    assertThatThrownBy(() -> cloud.clusters().get("c1"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(500);
              assertThat(e.isRetryable()).isTrue();
            });
    assertThat(server.server.getRequestCount()).isEqualTo(4);
    assertThat(server.clock.sleeps())
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aDroppedConnectionIsRetriedForIdempotentCalls() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(200, CLUSTER);

    assertThat(cloud.clusters().get("c1").id()).isEqualTo("c1");
    assertThat(server.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aPostIsNotRetriedOnAServerError() {
    server.enqueue(200, DoServer.options());
    server.enqueue(500, "{\"id\": \"server_error\", \"message\": \"Server Error\"}");
    server.enqueue(200, "{\"kubernetes_clusters\": []}");

    assertThatThrownBy(
            () ->
                cloud
                    .clusters()
                    .create(
                        ClusterSpec.named("devkube")
                            .region("sfo2")
                            .nodePool("devpool", "s-2vcpu-4gb", 2)))
        .isInstanceOf(ApiException.class)
        .hasMessage("create cluster devkube failed: Server Error (HTTP 500 server_error)");
    // options, one POST, then the lookup that found nothing: no second POST.
    assertThat(server.server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void aPostIsRetriedOnARateLimitBecauseTheServerDidNotActOnIt() throws Exception {
    server.enqueue(200, DoServer.options());
    server.enqueue(
        429, "{\"id\": \"too_many_requests\", \"message\": \"slow\"}", "Retry-After", "1");
    server.enqueue(201, envelope(cluster("new", "devkube", "provisioning")));

    assertThat(
            cloud
                .clusters()
                .create(
                    ClusterSpec.named("devkube")
                        .region("sfo2")
                        .nodePool("devpool", "s-2vcpu-4gb", 2))
                .id())
        .isEqualTo("new");
    server.take();
    assertThat(server.take().getMethod()).isEqualTo("POST");
    assertThat(server.take().getMethod()).isEqualTo("POST");
  }

  @Test
  void maxRetriesZeroNeverRetries() throws Exception {
    try (DigitalOcean once = server.builder().maxRetries(0).build()) {
      server.enqueue(503, "{\"id\": \"service_unavailable\", \"message\": \"busy\"}");
      assertThatThrownBy(() -> once.clusters().get("c1")).isInstanceOf(ApiException.class);
      assertThat(server.server.getRequestCount()).isEqualTo(1);
    }
  }

  @Test
  void anUnreachableServerIsATransportExceptionNamingTheHost() throws Exception {
    String url = server.url("/");
    server.close();
    try (DigitalOcean offline =
        DigitalOcean.builder().token(DoServer.TOKEN).baseUrl(url).maxRetries(0).build()) {
      assertThatThrownBy(() -> offline.clusters().get("c1"))
          .isInstanceOf(TransportException.class)
          .hasMessageStartingWith(
              "could not reach DigitalOcean ("
                  + server.server.getHostName()
                  + ") to get cluster c1: java.net.ConnectException");
    }
  }
}
