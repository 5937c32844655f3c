package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ConflictException;
import dev.devkube.TransportException;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerbsTest {
  private KubeServer server;
  private KubeClient kube;

  @BeforeEach
  void start() throws Exception {
    server = new KubeServer(true);
    kube = server.client();
  }

  @AfterEach
  void stop() throws Exception {
    kube.close();
    server.close();
  }

  private static String configMap(String rv) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
        + "\"namespace\":\"default\",\"resourceVersion\":\""
        + rv
        + "\",\"unknownToUs\":\"kept\"},"
        + "\"data\":{\"mode\":\"dev\"}}";
  }

  private static KubeObject settings() {
    return KubeObject.of("v1", "ConfigMap", "settings").set("data.mode", "dev");
  }

  @Test
  void createPostsToTheCollectionWithTheClientCertificate() throws Exception {
    server.enqueue(201, configMap("1"));

    KubeObject created = kube.resource(settings()).create();

    assertThat(created.resourceVersion()).isEqualTo("1");
    assertThat(created.getString("metadata.unknownToUs")).isEqualTo("kept");
    RecordedRequest request = server.take();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getTarget())
        .isEqualTo("/api/v1/namespaces/default/configmaps?fieldManager=devkube");
    assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
    assertThat(request.getHeaders().get("User-Agent")).startsWith("devkube/");
    assertThat(request.getHeaders().get("Authorization")).isNull();
    assertThat(KubeServer.peer(request)).contains("admin-ec");
    assertThat(KubeObject.parse(KubeServer.body(request)))
        .isEqualTo(settings().namespace("default"));
  }

  @Test
  void getIsEmptyOn404AndCarriesEveryField() throws Exception {
    server.enqueue(200, configMap("7"));
    server.enqueue(404, KubeServer.status(404, "NotFound", "configmaps \\\"gone\\\" not found"));

    assertThat(kube.resource(settings()).get()).map(KubeObject::resourceVersion).contains("7");
    assertThat(kube.resource(KubeObject.of("v1", "ConfigMap", "gone")).get()).isEmpty();
    assertThat(server.take().getTarget())
        .isEqualTo("/api/v1/namespaces/default/configmaps/settings");
    assertThat(server.take().getMethod()).isEqualTo("GET");
  }

  @Test
  void getModifyReplaceKeepsUnknownFields() throws Exception {
    server.enqueue(200, configMap("7"));
    server.enqueue(200, configMap("8"));

    KubeObject current = kube.resource(settings()).get().orElseThrow();
    kube.resource(current.set("data.mode", "prod")).replace();

    server.take();
    RecordedRequest put = server.take();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(put.getTarget())
        .isEqualTo("/api/v1/namespaces/default/configmaps/settings?fieldManager=devkube");
    KubeObject sent = KubeObject.parse(KubeServer.body(put));
    assertThat(sent.getString("metadata.unknownToUs")).isEqualTo("kept");
    assertThat(sent.resourceVersion()).isEqualTo("7");
    assertThat(sent.getString("data.mode")).isEqualTo("prod");
  }

  private void loseTheAnswer() {
    server.enqueue(
        new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build());
  }

  @Test
  void aReplaceSavedBeforeItsAnswerWasLostIsASuccessNotAConflict() throws Exception {
    server.enqueue(200, configMap("7"));
    loseTheAnswer();
    server.enqueue(
        409,
        KubeServer.status(
            409,
            "Conflict",
            "Operation cannot be fulfilled on configmaps \\\"settings\\\": the object has been"
                + " modified; please apply your changes to the latest version and try again"));
    server.enqueue(200, configMap("8").replace("\"mode\":\"dev\"", "\"mode\":\"prod\""));

    KubeObject current = kube.resource(settings()).get().orElseThrow();
    KubeObject saved = kube.resource(current.set("data.mode", "prod")).replace();

    assertThat(saved.resourceVersion()).isEqualTo("8");
    assertThat(saved.getString("data.mode")).isEqualTo("prod");
    server.take();
    assertThat(server.take().getMethod()).isEqualTo("PUT");
    assertThat(server.take().getMethod()).isEqualTo("PUT");
    assertThat(server.take().getMethod()).isEqualTo("GET");
  }

  @Test
  void aConflictAfterALostAnswerWithSomebodyElsesChangeIsStillAConflict() throws Exception {
    server.enqueue(200, configMap("7"));
    loseTheAnswer();
    server.enqueue(409, KubeServer.status(409, "Conflict", "the object has been modified"));
    server.enqueue(200, configMap("8").replace("\"mode\":\"dev\"", "\"mode\":\"staging\""));

    KubeObject current = kube.resource(settings()).get().orElseThrow();
    assertThatThrownBy(() -> kube.resource(current.set("data.mode", "prod")).replace())
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void aDeleteWhoseAnswerWasLostIsReportedAsDeleted() throws Exception {
    loseTheAnswer();
    server.enqueue(
        404, KubeServer.status(404, "NotFound", "configmaps \\\"settings\\\" not found"));

    assertThat(kube.resource(settings()).delete()).isTrue();
    assertThat(server.take().getMethod()).isEqualTo("DELETE");
    assertThat(server.take().getMethod()).isEqualTo("DELETE");
  }

  @Test
  void aCreateWhoseAnswerWasLostSaysItMayHaveHappened() {
    loseTheAnswer();

    assertThatThrownBy(() -> kube.resource(settings()).create())
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("failed during create ConfigMap default/settings")
        .hasMessageEndingWith(
            "; the server may have made the change before the answer was lost: get() the object"
                + " (or kubectl get it) to see before sending it again");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void replaceWithoutAResourceVersionIsRefusedBeforeSending() {
    assertThatThrownBy(() -> kube.resource(settings()).replace())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "replace of ConfigMap default/settings needs metadata.resourceVersion: get() the"
                + " object first and change that, or use apply()");
    assertThat(server.server.getRequestCount()).isZero();
  }

  @Test
  void patchesCarryTheirContentTypes() throws Exception {
    server.enqueue(200, configMap("2"));
    server.enqueue(200, configMap("3"));
    server.enqueue(200, configMap("4"));

    kube.resource(settings()).patch(Patch.merge(Map.of("data", Map.of("mode", "prod"))));
    kube.resource(settings())
        .patch(Patch.json(List.of(Map.of("op", "remove", "path", "/data/mode"))));
    kube.resource(settings()).patch(Patch.strategic(Map.of("data", Map.of("x", "y"))));

    RecordedRequest merge = server.take();
    assertThat(merge.getMethod()).isEqualTo("PATCH");
    assertThat(merge.getHeaders().get("Content-Type")).startsWith("application/merge-patch+json");
    assertThat(KubeServer.body(merge)).isEqualTo("{\"data\":{\"mode\":\"prod\"}}");
    RecordedRequest json = server.take();
    assertThat(json.getHeaders().get("Content-Type")).startsWith("application/json-patch+json");
    assertThat(dev.devkube.k8s.internal.Json.parse(KubeServer.body(json)))
        .isEqualTo(List.of(Map.of("op", "remove", "path", "/data/mode")));
    assertThat(server.take().getHeaders().get("Content-Type"))
        .startsWith("application/strategic-merge-patch+json");
  }

  @Test
  void applyIsServerSideUnderTheFieldManager() throws Exception {
    server.enqueue(200, configMap("5"));
    server.enqueue(200, configMap("6"));

    kube.resource(settings().set("metadata.managedFields", List.of(Map.of("manager", "x"))))
        .apply();
    kube.resource(settings()).forceApply();

    RecordedRequest apply = server.take();
    assertThat(apply.getMethod()).isEqualTo("PATCH");
    assertThat(apply.getTarget())
        .isEqualTo("/api/v1/namespaces/default/configmaps/settings?fieldManager=devkube");
    assertThat(apply.getHeaders().get("Content-Type")).startsWith("application/apply-patch+yaml");
    assertThat(KubeObject.parse(KubeServer.body(apply)).get("metadata.managedFields")).isNull();
    assertThat(server.take().getTarget())
        .isEqualTo(
            "/api/v1/namespaces/default/configmaps/settings?fieldManager=devkube&force=true");
  }

  @Test
  void deleteSendsThePropagationPolicyAndIsFalseWhenAbsent() throws Exception {
    server.enqueue(200, KubeServer.status(200, "", "").replace("Failure", "Success"));
    server.enqueue(404, KubeServer.status(404, "NotFound", "not found"));

    assertThat(kube.resource(settings()).delete(Propagation.FOREGROUND)).isTrue();
    assertThat(kube.resource(settings()).delete()).isFalse();

    RecordedRequest delete = server.take();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getTarget()).isEqualTo("/api/v1/namespaces/default/configmaps/settings");
    assertThat(KubeObject.parse(KubeServer.body(delete)).getString("propagationPolicy"))
        .isEqualTo("Foreground");
  }

  @Test
  void createOrReplaceReplacesWithTheCurrentVersion() throws Exception {
    server.enqueue(
        409, KubeServer.status(409, "AlreadyExists", "configmaps \\\"settings\\\" already exists"));
    server.enqueue(200, configMap("9"));
    server.enqueue(200, configMap("10"));

    assertThat(kube.resource(settings()).createOrReplace().resourceVersion()).isEqualTo("10");

    assertThat(server.take().getMethod()).isEqualTo("POST");
    assertThat(server.take().getMethod()).isEqualTo("GET");
    RecordedRequest put = server.take();
    assertThat(put.getMethod()).isEqualTo("PUT");
    assertThat(KubeObject.parse(KubeServer.body(put)).resourceVersion()).isEqualTo("9");
  }

  @Test
  void clusterScopedKindsHaveNoNamespace() throws Exception {
    server.enqueue(
        201, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team-a\"}}");

    kube.resource(KubeObject.of("v1", "Namespace", "team-a").namespace("ignored")).create();

    RecordedRequest request = server.take();
    assertThat(request.getTarget()).isEqualTo("/api/v1/namespaces?fieldManager=devkube");
    assertThat(KubeObject.parse(KubeServer.body(request)).namespace()).isEqualTo("ignored");
  }

  @Test
  void badObjectsAreRefusedBeforeSending() {
    assertThatThrownBy(
            () -> kube.resource(KubeObject.parse("{\"api_version\":\"v1\",\"kind\":\"Pod\"}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "object KubeObject[null Pod null] needs apiVersion and kind (note: apiVersion, not"
                + " api_version), such as apiVersion: v1, kind: ConfigMap");
    assertThatThrownBy(
            () ->
                kube.resource(KubeObject.parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}"))
                    .create())
        .hasMessage("Pod has neither metadata.name nor metadata.generateName: give it one");
    assertThatThrownBy(() -> kube.resource(KubeObject.of("v1", "Service", "web.service")).apply())
        .hasMessageStartingWith("Service name \"web.service\" is not a DNS label");
    assertThatThrownBy(() -> kube.resource(KubeObject.of("v1", "ConfigMap", "Bad_Name")).get())
        .hasMessageStartingWith("ConfigMap name \"Bad_Name\" is not a DNS subdomain");
    assertThatThrownBy(() -> kube.resource(KubeObject.of("v1", "Pod", "p").namespace("Team A")))
        .hasMessageStartingWith("Pod namespace \"Team A\" is not a DNS label");
    assertThat(
            kube.resource(
                    KubeObject.of(
                        "rbac.authorization.k8s.io/v1", "ClusterRole", "system:controller:x"))
                .name())
        .isEqualTo("system:controller:x");
    assertThat(server.server.getRequestCount()).isZero();
  }

  @Test
  void generateNameCreates() throws Exception {
    server.enqueue(
        201, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"job-x7k2\"}}");

    KubeObject pod =
        KubeObject.parse(
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"generateName\":\"job-\"}}");

    assertThat(kube.resource(pod).create().name()).isEqualTo("job-x7k2");
  }
}
