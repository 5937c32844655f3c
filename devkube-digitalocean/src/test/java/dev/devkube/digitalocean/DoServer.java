package dev.devkube.digitalocean;

import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import dev.devkube.ManualClock;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Handshake;

/**
 * One MockWebServer per test, a provider pointed at it, and clocks that record sleeps instead of
 * sleeping.
 */
final class DoServer implements AutoCloseable {
  static final String TOKEN = "dop_v1_testtoken0123456789";
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  final MockWebServer server = new MockWebServer();
  final ManualClock clock = new ManualClock();

  DoServer() throws IOException {
    server.start();
  }

  DigitalOcean.Builder builder() {
    return DigitalOcean.builder()
        .token(TOKEN)
        .baseUrl(server.url("/").toString())
        .clocks(clock, Clock.fixed(NOW, ZoneOffset.UTC), () -> 0);
  }

  DigitalOcean provider() {
    return builder().build();
  }

  String url(String path) {
    return server.url(path).toString();
  }

  void enqueue(int code, String json, String... headers) {
    MockResponse.Builder response =
        new MockResponse.Builder()
            .code(code)
            .addHeader("Content-Type", "application/json; charset=utf-8")
            .body(json);
    for (int i = 0; i < headers.length; i += 2) {
      response.addHeader(headers[i], headers[i + 1]);
    }
    server.enqueue(response.build());
  }

  void enqueue(MockResponse response) {
    server.enqueue(response);
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request arrived within 5 s");
    }
    return request;
  }

  /** Parses a JSON object, so that bodies compare regardless of key order and spacing. */
  static Map<String, Object> json(String text) throws IOException {
    return Objects.requireNonNull(
        new Moshi.Builder()
            .build()
            .<Map<String, Object>>adapter(
                Types.newParameterizedType(Map.class, String.class, Object.class))
            .fromJson(text),
        "a JSON object, not null");
  }

  static String cluster(String id, String name, String state) {
    return """
        {"id": "%s", "name": "%s", "region": "sfo2", "version": "1.31.1-do.5",
         "endpoint": "https://%s.k8s.ondigitalocean.com", "tags": ["k8s"],
         "status": {"state": "%s", "message": "%s msg"},
         "maintenance_policy": {"start_time": "00:00", "day": "Monday", "duration": "4h0m0s"},
         "auto_upgrade": false, "ha": false, "created_at": "2026-11-24T11:00:00Z",
         "node_pools": [{"id": "pool-1", "name": "devpool", "size": "s-2vcpu-4gb", "count": 2,
           "tags": null, "labels": null, "auto_scale": false,
           "nodes": [{"id": "n1", "name": "devpool-a", "status": {"state": "running"}, "droplet_id": "101"},
                     {"id": "", "name": "", "status": {"state": "provisioning"}}]}]}
        """
        .formatted(id, name, id, state, state);
  }

  static String envelope(String cluster) {
    return "{\"kubernetes_cluster\": " + cluster + "}";
  }

  static String options() {
    return """
        {"options": {
          "regions": [{"name": "New York 1", "slug": "nyc1"}, {"name": "San Francisco 2", "slug": "sfo2"}],
          "versions": [{"slug": "1.31.9-do.3", "kubernetes_version": "1.31.9"},
                       {"slug": "1.31.10-do.1", "kubernetes_version": "1.31.10",
                        "supported_features": ["cluster-autoscaler"]},
                       {"slug": "1.30.14-do.2", "kubernetes_version": "1.30.14"}],
          "sizes": [{"name": "s-1vcpu-2gb", "slug": "s-1vcpu-2gb"}, {"name": "s-2vcpu-4gb", "slug": "s-2vcpu-4gb"}]}}
        """;
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** The body of a request that must have one, as text. */
  static String body(RecordedRequest request) {
    return Objects.requireNonNull(request.getBody(), "the request has a body").utf8();
  }

  /** The client certificate's subject of a request that came over mutual TLS. */
  static String peer(RecordedRequest request) {
    Handshake handshake =
        Objects.requireNonNull(request.getHandshake(), "the request came over TLS");
    return Objects.requireNonNull(handshake.peerPrincipal(), "the client sent a certificate")
        .getName();
  }
}
