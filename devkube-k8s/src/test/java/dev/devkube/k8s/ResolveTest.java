package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ResolveTest {
  private static final String WIDGETS =
      "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\","
          + "\"groupVersion\":\"example.com/v1\",\"resources\":[{\"name\":\"widgets\",\"singularName\":"
          + "\"widget\",\"namespaced\":true,\"kind\":\"Widget\",\"verbs\":[\"get\",\"list\",\"create\"]},"
          + "{\"name\":\"widgets/status\",\"namespaced\":true,\"kind\":\"Widget\",\"verbs\":[\"get\"]},"
          + "{\"name\":\"gizmos\",\"namespaced\":false,\"kind\":\"Gizmo\",\"verbs\":[\"get\"]}]}";
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

  @Test
  void builtInKindsResolveOfflineToTheRightPaths() {
    assertThat(kube.resolve("apps/v1", "Deployment").itemPath("default", "nfs"))
        .isEqualTo("/apis/apps/v1/namespaces/default/deployments/nfs");
    assertThat(kube.resolve("v1", "Node").itemPath(null, "n1")).isEqualTo("/api/v1/nodes/n1");
    assertThat(kube.resolve("v1", "Endpoints").itemPath("default", "x"))
        .isEqualTo("/api/v1/namespaces/default/endpoints/x");
    assertThat(kube.resolve("networking.k8s.io/v1", "Ingress").itemPath("web", "x"))
        .isEqualTo("/apis/networking.k8s.io/v1/namespaces/web/ingresses/x");
    assertThat(kube.resolve("v1", "Pod").collectionPath(null)).isEqualTo("/api/v1/pods");
    assertThat(
            kube.resolve("rbac.authorization.k8s.io/v1", "ClusterRole").collectionPath("ignored"))
        .isEqualTo("/apis/rbac.authorization.k8s.io/v1/clusterroles");
    assertThat(kube.resolve("v1", "PersistentVolumeClaim").plural())
        .isEqualTo("persistentvolumeclaims");
    assertThat(kube.resolve("storage.k8s.io/v1", "StorageClass").namespaced()).isFalse();
    assertThat(kube.resolve("apps/v1", "Deployment").apiVersion()).isEqualTo("apps/v1");
    assertThat(server.server.getRequestCount()).isZero();
  }

  @Test
  void aNamespacedItemNeedsANamespace() {
    assertThatThrownBy(() -> kube.resolve("v1", "Pod").itemPath(null, "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Pod p is namespaced: give a namespace");
  }

  @Test
  void customKindsResolveThroughDiscoveryOnce() throws Exception {
    server.enqueue(200, WIDGETS);

    ResourceType widget = kube.resolve("example.com/v1", "Widget");
    ResourceType gizmo = kube.resolve("example.com/v1", "Gizmo");

    assertThat(widget.itemPath("dev", "w1"))
        .isEqualTo("/apis/example.com/v1/namespaces/dev/widgets/w1");
    assertThat(widget.subresources()).containsExactly("status");
    assertThat(widget.verbs()).containsExactly("get", "list", "create");
    assertThat(gizmo.itemPath(null, "g")).isEqualTo("/apis/example.com/v1/gizmos/g");
    assertThat(server.take().getTarget()).isEqualTo("/apis/example.com/v1");
    assertThat(server.server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void aMissingKindIsLookedUpOnceMoreThenNamedWithWhatIsServed() {
    server.enqueue(200, WIDGETS);
    server.enqueue(200, WIDGETS);

    kube.resolve("example.com/v1", "Widget");
    assertThatThrownBy(() -> kube.resolve("example.com/v1", "Sprocket"))
        .isInstanceOfSatisfying(
            UnknownKindException.class,
            e -> {
              assertThat(e.apiVersion()).isEqualTo("example.com/v1");
              assertThat(e.kind()).isEqualTo("Sprocket");
            })
        .hasMessage(
            "the API server serves no kind Sprocket in example.com/v1: it serves Gizmo, Widget");
    assertThat(server.server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void anUnservedGroupVersionSaysSo() {
    server.enqueue(
        404,
        KubeServer.status(404, "NotFound", "the server could not find the requested resource"));

    assertThatThrownBy(() -> kube.resolve("nope.example.com/v9", "Thing"))
        .isInstanceOfSatisfying(
            UnknownKindException.class, e -> assertThat(e.kind()).isEqualTo("Thing"))
        .hasMessage(
            "the API server does not serve nope.example.com/v9, so it has no kind Thing (GET"
                + " /apis/nope.example.com/v9 answered 404): check the apiVersion, or install its"
                + " CRD");
  }

  @Test
  void aGrouplessVersionOtherThanV1IsRefused() {
    assertThatThrownBy(() -> kube.resolve("apps", "Deployment"))
        .hasMessage(
            "apiVersion \"apps\" names no group: the core group is \"v1\", others are"
                + " \"group/version\" such as \"apps/v1\"");
  }
}
