package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ListTest {
  private KubeServer server;
  private KubeClient kube;

  @BeforeEach
  void start() throws Exception {
    server = new KubeServer(false);
    kube = server.builder().token("t0k3n").namespace("dev").build();
  }

  @AfterEach
  void stop() throws Exception {
    kube.close();
    server.close();
  }

  private static String podList(@Nullable String cont, String... names) {
    StringBuilder items = new StringBuilder();
    for (String name : names) {
      items
          .append(items.length() == 0 ? "" : ",")
          .append("{\"metadata\":{\"name\":\"")
          .append(name)
          .append("\"},\"status\":{\"phase\":\"Running\"}}");
    }
    return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"100\""
        + (cont == null ? "" : ",\"continue\":\"" + cont + "\"")
        + "},\"items\":["
        + items
        + "]}";
  }

  @Test
  void listPagesThroughContinueTokensLazily() throws Exception {
    server.enqueue(200, podList("tok-2", "a", "b"));
    server.enqueue(200, podList(null, "c"));

    Iterator<KubeObject> pods = kube.resources("v1", "Pod").list().iterator();
    KubeObject first = pods.next();
    assertThat(server.server.getRequestCount()).isEqualTo(1);
    assertThat(first.apiVersion()).isEqualTo("v1");
    assertThat(first.kind()).isEqualTo("Pod");
    assertThat(pods.next().name()).isEqualTo("b");
    assertThat(pods.next().name()).isEqualTo("c");
    assertThat(pods.hasNext()).isFalse();

    RecordedRequest one = server.take();
    assertThat(one.getTarget()).isEqualTo("/api/v1/namespaces/dev/pods?limit=500");
    assertThat(one.getHeaders().get("Authorization")).isEqualTo("Bearer t0k3n");
    assertThat(server.take().getTarget())
        .isEqualTo("/api/v1/namespaces/dev/pods?limit=500&continue=tok-2");
  }

  @Test
  void selectorsAreSentEncoded() throws Exception {
    server.enqueue(200, podList(null, "a"));

    kube.resources("v1", "Pod")
        .inAnyNamespace()
        .withLabel("app.kubernetes.io/part-of", "devkube")
        .withLabels(Map.of("tier", "web"))
        .withLabelSelector("env in (dev, test)")
        .withField("status.phase", "Running")
        .names();

    RecordedRequest request = server.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/api/v1/pods");
    assertThat(request.getUrl().queryParameter("labelSelector"))
        .isEqualTo("app.kubernetes.io/part-of=devkube,tier=web,env in (dev, test)");
    assertThat(request.getUrl().queryParameter("fieldSelector")).isEqualTo("status.phase=Running");
  }

  @Test
  void clusterScopedKindsListWithoutNamespace() throws Exception {
    server.enqueue(
        200,
        "{\"kind\":\"NodeList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":"
            + "[{\"metadata\":{\"name\":\"n1\"}},{\"metadata\":{\"name\":\"n2\"}}]}");

    assertThat(kube.resources("v1", "Node").names()).containsExactly("n1", "n2");
    assertThat(server.take().getTarget()).isEqualTo("/api/v1/nodes?limit=500");
  }

  @Test
  void deleteCollectionNeedsANamespaceForNamespacedKinds() throws Exception {
    server.enqueue(200, podList(null, "a", "b"));

    assertThat(kube.resources("v1", "Pod").inNamespace("team-a").withLabel("app", "web").delete())
        .isEqualTo(2);
    RecordedRequest request = server.take();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getTarget())
        .isEqualTo("/api/v1/namespaces/team-a/pods?labelSelector=app%3Dweb");
    assertThatThrownBy(() -> kube.resources("v1", "Pod").inAnyNamespace().delete())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("deleting pods needs a namespace: call inNamespace(...) first");
  }

  @Test
  void badSelectorsAndVerbsAreRefusedBeforeSending() {
    assertThatThrownBy(() -> kube.resources("v1", "Pod").withLabel("bad key!", "x"))
        .hasMessage(
            "label key \"bad key!\" is not valid: use an optional DNS prefix and '/', then up to"
                + " 63 letters, digits, '-', '_' and '.'");
    assertThatThrownBy(() -> kube.resources("v1", "Pod").withLabel("app", "-x"))
        .hasMessage(
            "label value \"-x\" is not valid: use up to 63 letters, digits, '-', '_' and '.',"
                + " starting and ending with a letter or digit");
    assertThatThrownBy(() -> kube.resources("v1", "Binding").list())
        .hasMessage("Binding does not support list: it supports create");
    assertThat(server.server.getRequestCount()).isZero();
  }

  @Test
  void describePrintsYamlForPeople() throws Exception {
    server.enqueue(
        200,
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},"
            + "\"data\":{\"k\":\"v\"}}");
    server.enqueue(404, KubeServer.status(404, "NotFound", "not found"));
    server.enqueue(200, podList(null, "a", "b"));

    assertThat(kube.describe(KubeObject.of("v1", "ConfigMap", "c")))
        .isEqualTo("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  k: v\n");
    assertThat(kube.describe(KubeObject.of("v1", "ConfigMap", "x")))
        .isEqualTo("ConfigMap dev/x does not exist\n");
    assertThat(kube.describe("v1", "Pod"))
        .contains("name: a")
        .contains("---\n")
        .contains("name: b");
  }
}
