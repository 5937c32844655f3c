package dev.devkube.digitalocean.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class InterceptorsTest {
  @Test
  void theTokenGoesOnlyToTheApiHost() throws Exception {
    try (MockWebServer api = new MockWebServer();
        MockWebServer other = new MockWebServer()) {
      api.start();
      other.start();
      api.enqueue(new MockResponse.Builder().body("ok").build());
      other.enqueue(new MockResponse.Builder().body("ok").build());
      OkHttpClient client =
          new OkHttpClient.Builder()
              .addInterceptor(new AuthInterceptor("secret-token", api.url("/")))
              .build();

      try (Response response =
          client.newCall(new Request.Builder().url(api.url("/v2/x")).build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }
      try (Response response =
          client.newCall(new Request.Builder().url(other.url("/v2/x")).build()).execute()) {
        assertThat(response.code()).isEqualTo(200);
      }

      assertThat(
              Objects.requireNonNull(api.takeRequest(5, TimeUnit.SECONDS))
                  .getHeaders()
                  .get("Authorization"))
          .isEqualTo("Bearer secret-token");
      assertThat(
              Objects.requireNonNull(other.takeRequest(5, TimeUnit.SECONDS))
                  .getHeaders()
                  .get("Authorization"))
          .isNull();
      client.dispatcher().executorService().shutdown();
    }
  }

  @Test
  void loggedHeadersHaveCredentialsRedacted() {
    String line =
        LoggingInterceptor.redact(
            Headers.of(
                "Authorization",
                "Bearer secret-token",
                "User-Agent",
                "devkube/dev",
                "Cookie",
                "session=abc"));

    assertThat(line)
        .isEqualTo("Authorization: ██, User-Agent: devkube/dev, Cookie: ██")
        .doesNotContain("secret")
        .doesNotContain("abc");
  }

  @Test
  void authInterceptorToStringHidesTheToken() {
    assertThat(
            new AuthInterceptor(
                "secret-token", okhttp3.HttpUrl.get("https://api.digitalocean.com/")))
        .hasToString("AuthInterceptor[api.digitalocean.com]");
  }
}
