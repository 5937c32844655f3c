package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class KubeObjectTest {
  private static final String DEPLOYMENT =
      "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
          + "\"metadata\":{\"name\":\"nfs\",\"namespace\":\"dev\",\"labels\":{\"app.kubernetes.io/name\":\"nfs\"},"
          + "\"resourceVersion\":\"42\",\"uid\":\"u-1\",\"futureField\":{\"x\":[1,2.5,true,null]}},"
          + "\"spec\":{\"replicas\":3,\"template\":{\"spec\":{\"containers\":[{\"name\":\"nfs\","
          + "\"image\":\"nfs:1.0\",\"ports\":[{\"containerPort\":2049}]}]}}}}";

  @Test
  void jsonRoundTripsEveryFieldInOrderAndKeepsIntegers() {
    KubeObject object = KubeObject.parse(DEPLOYMENT);

    assertThat(object.toJson()).isEqualTo(DEPLOYMENT);
    assertThat(object.get("spec.replicas")).isEqualTo(3L);
    assertThat(object.toJson()).contains("\"replicas\":3,").doesNotContain("3.0");
  }

  @Test
  void typedAccessorsReadMetadata() {
    KubeObject object = KubeObject.parse(DEPLOYMENT);

    assertThat(object.apiVersion()).isEqualTo("apps/v1");
    assertThat(object.kind()).isEqualTo("Deployment");
    assertThat(object.name()).isEqualTo("nfs");
    assertThat(object.namespace()).isEqualTo("dev");
    assertThat(object.resourceVersion()).isEqualTo("42");
    assertThat(object.uid()).isEqualTo("u-1");
    assertThat(object.labels()).containsExactly(Map.entry("app.kubernetes.io/name", "nfs"));
    assertThat(object.annotations()).isEmpty();
  }

  @Test
  void pathsReachListsAndDottedKeys() {
    KubeObject object = KubeObject.parse(DEPLOYMENT);

    assertThat(object.getString("spec.template.spec.containers[0].image")).isEqualTo("nfs:1.0");
    assertThat(object.getLong("spec.template.spec.containers[0].ports[0].containerPort"))
        .isEqualTo(2049L);
    assertThat(object.getString("metadata.labels[\"app.kubernetes.io/name\"]")).isEqualTo("nfs");
    assertThat(object.get("spec.template.spec.containers[5].image")).isNull();
    assertThat(object.get("spec.nothing.here")).isNull();
    assertThat(object.getList("spec.template.spec.containers")).hasSize(1);
  }

  @Test
  void setCreatesWhatIsMissingAndKeepsTheRest() {
    KubeObject object =
        KubeObject.parse(DEPLOYMENT)
            .set("spec.replicas", 1)
            .set("spec.template.spec.containers[0].image", "nfs:2.0")
            .set("spec.template.spec.containers[1].name", "sidecar")
            .set("spec.strategy.type", "Recreate")
            .label("app.kubernetes.io/part-of", "devkube")
            .annotation("note", "x");

    assertThat(object.get("spec.replicas")).isEqualTo(1);
    assertThat(object.getString("spec.template.spec.containers[0].image")).isEqualTo("nfs:2.0");
    assertThat(object.getString("spec.template.spec.containers[1].name")).isEqualTo("sidecar");
    assertThat(object.getString("spec.strategy.type")).isEqualTo("Recreate");
    assertThat(object.labels()).containsEntry("app.kubernetes.io/part-of", "devkube");
    assertThat(object.getList("metadata.futureField.x")).containsExactly(1L, 2.5, true, null);
    assertThat(object.remove("metadata.futureField").get("metadata.futureField")).isNull();
    assertThatThrownBy(() -> object.set("spec.template.spec.containers[5].name", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "index 5 in spec.template.spec.containers[5].name is past the end of a list of 2:"
                + " use at most 2 to append");
    assertThatThrownBy(() -> object.set("spec.replicas.count", 1))
        .hasMessage("cannot set spec.replicas.count: part 3 meets a Integer");
  }

  @Test
  void copiesAreIndependent() {
    KubeObject original = KubeObject.of("v1", "ConfigMap", "a").set("data.k", "v");
    KubeObject copy = original.copy().set("data.k", "changed");
    @SuppressWarnings("unchecked")
    Map<String, Object> data =
        (Map<String, Object>) Objects.requireNonNull(original.toMap().get("data"));
    data.put("k", "mutated");

    assertThat(original.getString("data.k")).isEqualTo("v");
    assertThat(copy.getString("data.k")).isEqualTo("changed");
    assertThat(original).isEqualTo(KubeObject.of("v1", "ConfigMap", "a").set("data.k", "v"));
  }

  @Test
  void yamlReadsManyDocumentsAndWritesBlockStyle() {
    List<KubeObject> objects =
        KubeObject.parseYaml(
            """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: one
        data:
          count: "3"
        ---
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: two}
        spec:
          ports:
          - port: 80
        """);

    assertThat(objects).extracting(KubeObject::name).containsExactly("one", "two");
    assertThat(objects.get(1).get("spec.ports[0].port")).isEqualTo(80);
    assertThat(objects.get(1).toJson()).contains("\"port\":80");
    assertThat(objects.get(0).toYaml())
        .isEqualTo(
            """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: one
        data:
          count: '3'
        """);
    assertThatThrownBy(() -> KubeObject.parseYaml("- a\n- b\n"))
        .hasMessage("YAML document 1 is not a mapping");
  }

  @Test
  void toStringNamesTheObjectButNeverItsContents() {
    KubeObject secret =
        KubeObject.of("v1", "Secret", "sshkey").namespace("dev").set("data.key", "c2VjcmV0");

    assertThat(secret).hasToString("KubeObject[v1 Secret dev/sshkey]");
    assertThat(secret.toPrettyJson()).contains("\n  \"kind\": \"Secret\",");
  }

  @Test
  void badInputIsExplained() {
    assertThatThrownBy(() -> KubeObject.parse("[1, 2]"))
        .hasMessage("expected a JSON object, got ArrayList");
    assertThatThrownBy(() -> KubeObject.parse("{\"a\": ")).hasMessageStartingWith("not JSON: ");
    assertThatThrownBy(() -> KubeObject.of("v1", "Pod", "p").get("spec[x]"))
        .hasMessage(
            "path spec[x] has [x]: use a list index such as [0], or a quoted key such as"
                + " [\"app.kubernetes.io/name\"]");
  }
}
