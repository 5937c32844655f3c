package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devkube.ApiError;
import dev.devkube.ApiException;
import dev.devkube.AuthenticationException;
import dev.devkube.ConflictException;
import dev.devkube.GoneException;
import dev.devkube.InvalidException;
import dev.devkube.NotFoundException;
import dev.devkube.TransportException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorsTest {
  private KubeServer server;
  private KubeClient kube;

  @BeforeEach
  void start() throws Exception {
    server = new KubeServer(false);
    kube = server.builder().token("t").build();
  }

  @AfterEach
  void stop() throws Exception {
    kube.close();
    server.close();
  }

  /** A real error body from the reference folder, or the test is skipped. */
  private static String real(String file) throws Exception {
    Path path =
        Path.of(System.getProperty("devkube.reference", "../../shared/reference"))
            .resolve("kubernetes-status")
            .resolve(file)
            .normalize();
    assumeTrue(Files.isRegularFile(path), "reference error bodies not found at " + path);
    return Files.readString(path);
  }

  private static final KubeObject POD = KubeObject.of("v1", "Pod", "grafana");

  @Test
  void notFoundCarriesTheServersMessageVerbatim() throws Exception {
    server.enqueue(404, real("404-notfound-pods.api-conventions.json"), "Audit-Id", "a-1");

    assertThatThrownBy(() -> kube.resource(POD).patch(Patch.merge(java.util.Map.of("a", 1))))
        .isInstanceOfSatisfying(
            NotFoundException.class,
            e -> {
              assertThat(e.serverMessage()).isEqualTo("pods \"grafana\" not found");
              assertThat(e.reason()).isEqualTo("NotFound");
              assertThat(e.requestId()).isEqualTo("a-1");
              assertThat(e)
                  .hasMessage(
                      "patch Pod default/grafana failed: pods \"grafana\" not found"
                          + " (HTTP 404 NotFound, request id a-1)");
            });
  }

  @Test
  void alreadyExistsAndConflictAreToldApart() throws Exception {
    server.enqueue(409, real("409-alreadyexists-services.json"));
    server.enqueue(409, real("409-conflict-resourcequotas.json"));

    assertThatThrownBy(() -> kube.resource(KubeObject.of("v1", "Service", "web")).create())
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.isAlreadyExists()).isTrue());
    assertThatThrownBy(
            () ->
                kube.resource(
                        KubeObject.of("v1", "ResourceQuota", "q")
                            .set("metadata.resourceVersion", "1"))
                    .replace())
        .isInstanceOfSatisfying(
            ConflictException.class, e -> assertThat(e.isAlreadyExists()).isFalse());
  }

  @Test
  void invalidCarriesTheFieldCauses() throws Exception {
    server.enqueue(422, real("422-invalid-service-two-causes.kubectl-testdata.json"));

    assertThatThrownBy(() -> kube.resource(KubeObject.of("v1", "Service", "svc")).apply())
        .isInstanceOfSatisfying(
            InvalidException.class,
            e -> {
              assertThat(e.causes()).hasSize(2);
              assertThat(e.causes())
                  .extracting(ApiError.Cause::reason)
                  .containsExactly("FieldValueInvalid", "FieldValueNotSupported");
              assertThat(e.causes()).allSatisfy(c -> assertThat(c.field()).startsWith("spec."));
            });
  }

  @Test
  void authorizationFailuresAreAuthenticationExceptions() throws Exception {
    server.enqueue(401, real("401-unauthorized.json"));
    server.enqueue(403, real("403-forbidden-namespaced-pods.json"));

    assertThatThrownBy(() -> kube.resource(POD).get())
        .isInstanceOfSatisfying(
            AuthenticationException.class, e -> assertThat(e.isForbidden()).isFalse());
    assertThatThrownBy(() -> kube.resources("v1", "Pod").names())
        .isInstanceOfSatisfying(
            AuthenticationException.class, e -> assertThat(e.isForbidden()).isTrue());
  }

  @Test
  void expiredIsGone() {
    server.enqueue(
        410, KubeServer.status(410, "Expired", "The provided continue parameter is too old"));

    assertThatThrownBy(() -> kube.resources("v1", "Pod").names())
        .isInstanceOf(GoneException.class)
        .hasMessage(
            "list pods in default failed: The provided continue parameter is too old"
                + " (HTTP 410 Expired)");
  }

  @Test
  void aNonStatusErrorStillSaysSomething() {
    server.enqueue(new MockResponse.Builder().code(502).body("<html>bad gateway</html>").build());
    server.enqueue(new MockResponse.Builder().code(500).build());

    assertThatThrownBy(() -> kube.resource(POD).get())
        .isExactlyInstanceOf(ApiException.class)
        .hasMessage("get Pod default/grafana failed: <html>bad gateway</html> (HTTP 502)");
    assertThatThrownBy(() -> kube.resource(POD).get())
        .hasMessage("get Pod default/grafana failed: Internal Server Error (HTTP 500)");
  }

  @Test
  void retryAfterIsHonouredForAnyVerb() throws Exception {
    server.enqueue(429, KubeServer.status(429, "TooManyRequests", "slow down"), "Retry-After", "2");
    server.enqueue(
        201, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"grafana\"}}");

    assertThat(kube.resource(POD).create().name()).isEqualTo("grafana");
    assertThat(server.clock.sleeps()).containsExactly(Duration.ofSeconds(2));
    assertThat(server.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void aServerErrorWithoutRetryAfterIsNotRetried() {
    server.enqueue(503, KubeServer.status(503, "ServiceUnavailable", "busy"));

    assertThatThrownBy(() -> kube.resource(POD).get()).isInstanceOf(ApiException.class);
    assertThat(server.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void droppedConnectionsAreRetriedOnlyForIdempotentVerbs() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(
        200, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"grafana\"}}");
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
    server.enqueue(
        200, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"grafana\"}}");

    assertThat(kube.resource(POD).get()).isPresent();
    assertThat(server.server.getRequestCount()).isEqualTo(2);
    assertThatThrownBy(() -> kube.resource(POD).create())
        .isInstanceOf(TransportException.class)
        .hasMessageStartingWith("the connection to the API server at")
        .hasMessageContaining("the server may have made the change before the answer was lost");
    assertThat(server.server.getRequestCount()).isEqualTo(3);
    assertThat(kube.resource(POD).apply().name()).isEqualTo("grafana");
    assertThat(server.server.getRequestCount()).isEqualTo(5);
  }
}
