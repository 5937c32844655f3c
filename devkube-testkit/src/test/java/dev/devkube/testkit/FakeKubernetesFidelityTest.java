package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.testkit.internal.Doc;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FakeKubernetes speaks the API server's protocol where no peer client is needed to see it:
 * kubectl's protobuf bodies, the protobuf OpenAPI v2 document, discovery, dry run, field
 * validation, tables, field ownership, scopes, subresources, RBAC and namespace termination. The
 * same behaviour is exercised by kubectl, the Python client, fabric8 and client-java in
 * devkube-conformance.
 */
class FakeKubernetesFidelityTest {
  private FakeKubernetes cluster;
  private RawHttp http;

  @BeforeEach
  void start() throws Exception {
    cluster =
        FakeKubernetes.builder()
            .podStartDelay(Duration.ofMillis(10))
            .user("dev", "dev-token-0123456789", "team")
            .start();
    http = new RawHttp(cluster.credentials());
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  private RawHttp.Answer send(String method, String path, byte[] body, String type)
      throws Exception {
    Request request =
        new Request.Builder()
            .url(http.base + path)
            .method(method, RequestBody.create(body, MediaType.get(type)))
            .build();
    try (Response response = http.client.newCall(request).execute()) {
      String text = response.body().string();
      return new RawHttp.Answer(response.code(), text, text.isBlank() ? null : Doc.parse(text));
    }
  }

  @Test
  void protobufBodiesAsKubectlSendsThem() throws Exception {
    // kubectl 1.32's body for "kubectl create namespace demo" (from its -v=9 log).
    byte[] body =
        HexFormat.ofDelimiter(" ")
            .parseHex(
                "6b 38 73 00 0a 0f 0a 02 76 31 12 09 4e 61 6d 65 73 70 61 63 65 12 1c 0a 14 0a 04"
                    + " 64 65 6d 6f 12 00 1a 00 22 00 2a 00 32 00 38 00 42 00 12 00 1a 02 0a 00 1a"
                    + " 00 22 00");
    RawHttp.Answer created =
        send("POST", "/api/v1/namespaces", body, "application/vnd.kubernetes.protobuf");
    assertThat(created.code()).as(created.body()).isEqualTo(201);
    assertThat(created.get("metadata.name")).isEqualTo("demo");
    assertThat(created.body()).contains("\"kubernetes.io/metadata.name\":\"demo\"");
    assertThat(created.get("status.phase")).isEqualTo("Active");

    RawHttp.Answer unknown =
        send("POST", "/api/v1/namespaces", "x".getBytes(StandardCharsets.UTF_8), "text/plain");
    assertThat(unknown.code()).isEqualTo(415);
    assertThat(unknown.get("message"))
        .isEqualTo(
            "the body of the request was in an unknown format - accepted media types include:"
                + " application/json, application/yaml, application/vnd.kubernetes.protobuf");
  }

  @Test
  void openApiAsClientGoReadsIt() throws Exception {
    Request request =
        new Request.Builder()
            .url(http.base + "/openapi/v2")
            .header("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf")
            .build();
    try (Response response = http.client.newCall(request).execute()) {
      byte[] document = response.body().bytes();
      assertThat(response.header("Content-Type"))
          .isEqualTo("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
      // Field 1 (swagger) = "2.0", then the definitions with their vendor extensions.
      assertThat(HexFormat.of().formatHex(document, 0, 5)).isEqualTo("0a03322e30");
      String text = new String(document, StandardCharsets.ISO_8859_1);
      assertThat(text)
          .contains("io.k8s.api.apps.v1.Deployment")
          .contains("x-kubernetes-group-version-kind")
          .contains("fieldValidation");
    }
    RawHttp.Answer index = http.get("/openapi/v3");
    assertThat(index.get("paths.apis/apps/v1.serverRelativeURL"))
        .asString()
        .startsWith("/openapi/v3/apis/apps/v1?hash=");
    RawHttp.Answer apps = http.get("/openapi/v3/apis/apps/v1");
    assertThat(apps.body()).contains("\"io.k8s.api.apps.v1.Deployment\"");
  }

  @Test
  void discoveryAsARealServerGivesIt() {
    RawHttp.Answer core = http.get("/api/v1");
    List<?> resources = (List<?>) core.get("resources");
    assertThat(resources)
        .anySatisfy(
            r -> {
              assertThat(Doc.get(r, "name")).isEqualTo("pods");
              assertThat(Doc.get(r, "shortNames")).isEqualTo(List.of("po"));
              assertThat(Doc.get(r, "categories")).isEqualTo(List.of("all"));
            });
    RawHttp.Answer apps = http.get("/apis/apps/v1");
    assertThat((List<?>) apps.get("resources"))
        .anySatisfy(
            r -> {
              assertThat(Doc.get(r, "name")).isEqualTo("deployments/scale");
              assertThat(Doc.get(r, "group")).isEqualTo("autoscaling");
              assertThat(Doc.get(r, "kind")).isEqualTo("Scale");
            });
    assertThat(http.get("/apis/autoscaling").get("preferredVersion.version")).isEqualTo("v2");
    // Alpha and beta versions are not served by a default cluster.
    assertThat(http.get("/apis/resource.k8s.io/v1beta1").code()).isEqualTo(404);
    assertThat(http.get("/healthz").body()).isEqualTo("ok");
  }

  @Test
  void dryRunFieldValidationAndWarnings() throws Exception {
    String typo =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"dta\":{}}";
    RawHttp.Answer strict =
        http.post("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", typo);
    assertThat(strict.code()).isEqualTo(400);
    assertThat(strict.get("message"))
        .isEqualTo(
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error:"
                + " unknown field \"dta\"");
    Request warn =
        new Request.Builder()
            .url(http.base + "/api/v1/namespaces/default/configmaps?dryRun=All")
            .post(RequestBody.create(typo, MediaType.get("application/json")))
            .build();
    try (Response response = http.client.newCall(warn).execute()) {
      assertThat(response.code()).isEqualTo(201);
      assertThat(response.header("Warning")).isEqualTo("299 - \"unknown field \\\"dta\\\"\"");
      assertThat(response.body().string()).doesNotContain("dta").contains("\"uid\"");
    }
    assertThat(http.get("/api/v1/namespaces/default/configmaps/c").code())
        .as("a dry run stores nothing")
        .isEqualTo(404);
    assertThat(http.post("/api/v1/namespaces/default/configmaps?dryRun=Some", typo).code())
        .isEqualTo(400);
  }

  @Test
  void tablesForKubectlGet() throws Exception {
    Request request =
        new Request.Builder()
            .url(http.base + "/api/v1/nodes")
            .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
            .build();
    try (Response response = http.client.newCall(request).execute()) {
      Object table = Doc.parse(response.body().string());
      assertThat(Doc.get(table, "kind")).isEqualTo("Table");
      List<?> columns = (List<?>) Doc.get(table, "columnDefinitions");
      assertThat(columns)
          .extracting(c -> Doc.get(c, "name"))
          .startsWith("Name", "Status", "Roles", "Age", "Version");
      List<Object> rows = Doc.list(table, "rows");
      assertThat(Doc.list(rows.get(0), "cells").subList(0, 3))
          .isEqualTo(List.of("node-1", "Ready", "<none>"));
    }
  }

  @Test
  void scopesSubresourcesAndFieldSelectorsAsAServerHasThem() {
    assertThat(http.get("/api/v1/namespaces/default/nodes").code()).isEqualTo(404);
    assertThat(http.get("/api/v1/pods/anything").code()).isEqualTo(404);
    http.post(
        "/api/v1/namespaces/default/configmaps",
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
    assertThat(http.get("/api/v1/namespaces/default/configmaps/c/status").code()).isEqualTo(404);
    RawHttp.Answer selector = http.get("/api/v1/pods?fieldSelector=spec.image%3Dx");
    assertThat(selector.code()).isEqualTo(400);
    assertThat(selector.get("message")).isEqualTo("field label not supported: spec.image");
  }

  @Test
  void serverSideApplyOwnsFieldsAndNamesConflicts() throws Exception {
    String path = "/api/v1/namespaces/default/configmaps/owned?fieldManager=";
    String one =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"owned\"},\"data\":{\"k\":\"one\"}}";
    String two = one.replace("one", "two");
    byte[] bytesOne = one.getBytes(StandardCharsets.UTF_8);
    byte[] bytesTwo = two.getBytes(StandardCharsets.UTF_8);
    assertThat(send("PATCH", path + "alice", bytesOne, "application/apply-patch+yaml").code())
        .isEqualTo(201);
    RawHttp.Answer conflict = send("PATCH", path + "bob", bytesTwo, "application/apply-patch+yaml");
    assertThat(conflict.code()).isEqualTo(409);
    assertThat(conflict.get("message"))
        .isEqualTo("Apply failed with 1 conflict: conflict with \"alice\" using v1: .data.k");
    assertThat(Doc.get(Doc.list(conflict.json(), "details.causes").get(0), "reason"))
        .isEqualTo("FieldManagerConflict");
    // The same value is shared ownership, not a conflict.
    assertThat(send("PATCH", path + "carol", bytesOne, "application/apply-patch+yaml").code())
        .isEqualTo(200);
    RawHttp.Answer forced =
        send("PATCH", path + "bob&force=true", bytesTwo, "application/apply-patch+yaml");
    assertThat(forced.code()).isEqualTo(200);
    assertThat((List<?>) forced.get("metadata.managedFields"))
        .extracting(f -> Doc.get(f, "manager"))
        .containsExactly("bob");
    // Alice no longer owns k; applying without it leaves it alone.
    RawHttp.Answer emptied =
        send(
            "PATCH",
            path + "bob",
            one.replace(",\"data\":{\"k\":\"one\"}", "").getBytes(StandardCharsets.UTF_8),
            "application/apply-patch+yaml");
    assertThat(emptied.get("data")).as("bob removed the field only it owned").isNull();
  }

  @Test
  void aLimitedUserAndATerminatingNamespace() throws Exception {
    try (RawHttp dev = new RawHttp(cluster.credentials("dev"))) {
      assertThat(dev.get("/api/v1/namespaces/team/pods").code()).isEqualTo(200);
      RawHttp.Answer denied = dev.get("/apis/apps/v1/namespaces/default/deployments/web");
      assertThat(denied.code()).isEqualTo(403);
      assertThat(denied.get("message"))
          .isEqualTo(
              "deployments.apps \"web\" is forbidden: User \"dev\" cannot get resource"
                  + " \"deployments\" in API group \"apps\" in the namespace \"default\"");
      assertThat(denied.get("details"))
          .isEqualTo(Map.of("name", "web", "group", "apps", "kind", "deployments"));
      RawHttp.Answer nodes = dev.get("/api/v1/nodes");
      assertThat(nodes.get("message"))
          .isEqualTo(
              "nodes is forbidden: User \"dev\" cannot list resource \"nodes\" in API group \"\" at"
                  + " the cluster scope");
    }
    RawHttp.Answer deleted =
        send("DELETE", "/api/v1/namespaces/team", new byte[0], "application/json");
    assertThat(deleted.get("status.phase")).isEqualTo("Terminating");
    assertThat(deleted.get("metadata.deletionTimestamp")).isNotNull();
    assertThat(http.get("/api/v1/namespaces/kube-system").code()).isEqualTo(200);
    assertThat(send("DELETE", "/api/v1/namespaces/default", new byte[0], "application/json").code())
        .isEqualTo(403);
  }

  @Test
  void objectsAsControllersWriteThem() throws Exception {
    http.post(
        "/api/v1/namespaces/default/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"lonely\"},"
            + "\"spec\":{\"selector\":{\"app\":\"none\"},\"ports\":[{\"port\":80}]}}");
    http.post(
        "/api/v1/namespaces/default/persistentvolumeclaims",
        "{\"apiVersion\":\"v1\",\"kind\":\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\"},"
            + "\"spec\":{\"storageClassName\":\"missing\",\"accessModes\":[\"ReadWriteOnce\"],"
            + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    RawHttp.Answer endpoints = http.get("/api/v1/namespaces/default/endpoints/lonely");
    RawHttp.Answer events = http.get("/api/v1/namespaces/default/events");
    while (System.nanoTime() < deadline
        && (endpoints.code() != 200 || !events.body().contains("ProvisioningFailed"))) {
      Thread.sleep(20);
      endpoints = http.get("/api/v1/namespaces/default/endpoints/lonely");
      events = http.get("/api/v1/namespaces/default/events");
    }
    assertThat(endpoints.code()).isEqualTo(200);
    assertThat(endpoints.body()).as("no addresses: no subsets field").doesNotContain("subsets");
    assertThat(events.body())
        .contains("\"reason\":\"ProvisioningFailed\"")
        .contains("storageclass.storage.k8s.io \\\"missing\\\" not found");
    assertThat(
            http.get("/api/v1/namespaces/default/persistentvolumeclaims/data").get("status.phase"))
        .isEqualTo("Pending");
  }
}
