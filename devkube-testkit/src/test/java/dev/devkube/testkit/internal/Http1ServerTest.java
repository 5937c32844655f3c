package dev.devkube.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

/** The fake API server's own HTTP/1.1 server: bodies both ways, keep-alive, gone clients. */
class Http1ServerTest {
  private static final HeldCertificate SERVER =
      new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").ecdsa256().build();

  private static OkHttpClient client() {
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder().addTrustedCertificate(SERVER.certificate()).build();
    return new OkHttpClient.Builder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
        .readTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static javax.net.ssl.SSLContext serverTls() {
    return new HandshakeCertificates.Builder().heldCertificate(SERVER).build().sslContext();
  }

  @Test
  void fixedAndChunkedBodiesOverOneKeptAliveConnection() throws Exception {
    try (Http1Server server =
        new Http1Server(
            serverTls(),
            exchange -> {
              byte[] body = exchange.getRequestBody().readAllBytes();
              String answer = exchange.getRequestMethod() + " " + body.length;
              if (exchange.getRequestURI().getPath().equals("/chunked")) {
                exchange.sendResponseHeaders(200, 0);
                exchange
                    .getResponseBody()
                    .write(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                exchange
                    .getResponseBody()
                    .write(" more".getBytes(java.nio.charset.StandardCharsets.UTF_8));
              } else {
                byte[] bytes = answer.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(201, bytes.length);
                exchange.getResponseBody().write(bytes);
              }
              exchange.close();
            },
            "test-http")) {
      OkHttpClient client = client();
      String base = "https://127.0.0.1:" + server.port();
      try (Response fixed =
          client
              .newCall(
                  new Request.Builder()
                      .url(base + "/fixed")
                      .post(RequestBody.create("0123456789", MediaType.get("text/plain")))
                      .build())
              .execute()) {
        assertThat(fixed.code()).isEqualTo(201);
        assertThat(fixed.body().string()).isEqualTo("POST 10");
      }
      try (Response chunked =
          client.newCall(new Request.Builder().url(base + "/chunked").build()).execute()) {
        assertThat(chunked.header("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(chunked.body().string()).isEqualTo("GET 0 more");
      }
      assertThat(client.connectionPool().connectionCount())
          .as("both requests went over one kept-alive connection")
          .isEqualTo(1);
    }
  }

  @Test
  void aWatchEndsWhenItsClientGoesAway() throws Exception {
    Store store = new Store();
    Kinds.Kind configMaps = Objects.requireNonNull(Kinds.builtin().byKind("v1", "ConfigMap"));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    try (Http1Server server =
        new Http1Server(
            serverTls(),
            exchange -> {
              started.countDown();
              try {
                new WatchStream(
                        store,
                        configMaps,
                        "default",
                        o -> true,
                        Map.of("timeoutSeconds", "300"),
                        Duration.ofSeconds(1),
                        null)
                    .serve(exchange);
              } finally {
                ended.countDown();
              }
            },
            "test-http")) {
      OkHttpClient client = client();
      Call call =
          client.newCall(
              new Request.Builder().url("https://127.0.0.1:" + server.port() + "/watch").build());
      Response response = call.execute();
      assertThat(response.code()).isEqualTo(200);
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      // The client leaves without a word; nothing changes in the store meanwhile.
      response.close();
      client.connectionPool().evictAll();
      assertThat(ended.await(30, TimeUnit.SECONDS))
          .as("the watch's thread ended when its client went away, long before its 300 s")
          .isTrue();
    }
  }
}
