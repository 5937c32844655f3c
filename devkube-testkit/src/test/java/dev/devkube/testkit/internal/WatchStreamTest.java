package dev.devkube.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The watch handler on its own, with an exchange that acts the moment the headers go out. */
class WatchStreamTest {
  /** An exchange that runs {@code onHeaders} when the answer's headers are sent. */
  private static final class ActingExchange extends HttpExchange {
    private final Runnable onHeaders;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Headers responseHeaders = new Headers();

    ActingExchange(Runnable onHeaders) {
      this.onHeaders = onHeaders;
    }

    String body() {
      return body.toString(StandardCharsets.UTF_8);
    }

    @Override
    public Headers getRequestHeaders() {
      return new Headers();
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return URI.create("/api/v1/namespaces/default/configmaps?watch=true");
    }

    @Override
    public String getRequestMethod() {
      return "GET";
    }

    @Override
    public HttpContext getHttpContext() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}

    @Override
    public InputStream getRequestBody() {
      return InputStream.nullInputStream();
    }

    @Override
    public OutputStream getResponseBody() {
      return body;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) {
      onHeaders.run();
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return new InetSocketAddress(0);
    }

    @Override
    public int getResponseCode() {
      return 200;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return new InetSocketAddress(0);
    }

    @Override
    public String getProtocol() {
      return "HTTP/1.1";
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return null;
    }

    @Override
    public void setAttribute(String name, @Nullable Object value) {}

    @Override
    public void setStreams(@Nullable InputStream i, @Nullable OutputStream o) {}

    @Override
    public @Nullable HttpPrincipal getPrincipal() {
      return null;
    }
  }

  @Test
  void aChangeMadeAsTheHeadersGoOutIsStreamed() throws Exception {
    Store store = new Store();
    Kinds.Kind configMaps = Objects.requireNonNull(Kinds.builtin().byKind("v1", "ConfigMap"));
    store.create(
        configMaps,
        Doc.obj(
            "apiVersion",
            "v1",
            "kind",
            "ConfigMap",
            "metadata",
            Doc.obj("name", "c", "namespace", "default"),
            "data",
            Doc.obj("k", "before")));
    ActingExchange exchange =
        new ActingExchange(
            () -> {
              Map<String, @Nullable Object> changed =
                  Objects.requireNonNull(store.get(configMaps, "default", "c"));
              Doc.map(changed, "data").put("k", "after");
              store.update(configMaps, changed);
            });

    new WatchStream(
            store,
            configMaps,
            "default",
            object -> true,
            Map.of("timeoutSeconds", "1"),
            Duration.ofSeconds(1),
            null)
        .serve(exchange);

    List<String> lines = exchange.body().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("{\"type\":\"ADDED\"").contains("\"k\":\"before\"");
    assertThat(lines.get(1)).startsWith("{\"type\":\"MODIFIED\"").contains("\"k\":\"after\"");
  }
}
