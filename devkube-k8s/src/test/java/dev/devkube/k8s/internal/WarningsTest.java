package dev.devkube.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class WarningsTest {
  @Test
  void eachDistinctWarningIsLoggedOnce() throws Exception {
    KubeInterceptors.Warnings warnings = new KubeInterceptors.Warnings();
    try (MockWebServer server = new MockWebServer()) {
      server.start();
      for (int i = 0; i < 3; i++) {
        server.enqueue(
            new MockResponse.Builder()
                .addHeader("Warning", "299 - \"v1 ComponentStatus is deprecated in v1.19+\"")
                .addHeader(
                    "Warning",
                    i == 2
                        ? "299 - \"another \\\"quoted\\\" one\""
                        : "299 - \"v1 ComponentStatus is deprecated in v1.19+\"")
                .body("{}")
                .build());
      }
      OkHttpClient client = new OkHttpClient.Builder().addInterceptor(warnings).build();
      for (int i = 0; i < 3; i++) {
        try (Response response =
            client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
          assertThat(response.code()).isEqualTo(200);
        }
      }
      client.dispatcher().executorService().shutdown();
    }

    assertThat(warnings.seen())
        .containsExactlyInAnyOrder(
            "v1 ComponentStatus is deprecated in v1.19+", "another \"quoted\" one");
  }
}
