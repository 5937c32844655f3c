package dev.devkube.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devkube.k8s.ResourceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.junit.jupiter.api.Test;

class BuiltinKindsTest {
  static final Path TABLE =
      Path.of("src/main/resources/dev/devkube/k8s/internal/builtin-kinds.tsv");

  private static Path discovery() {
    Path dir =
        Path.of(System.getProperty("devkube.reference", "../../shared/reference"))
            .resolve("kubernetes-discovery")
            .normalize();
    assumeTrue(
        Files.isDirectory(dir),
        "discovery documents not found at "
            + dir
            + " (they live beside the repository in shared/reference)");
    return dir;
  }

  @Test
  void committedTableIsWhatTheGeneratorMakesFromTheDiscoveryDocuments() throws Exception {
    Path openApi = discovery().resolveSibling("kubernetes-schemas").resolve("swagger-v1.36.0.json");
    assumeTrue(Files.isRegularFile(openApi), "the OpenAPI v2 document is not at " + openApi);
    String generated = BuiltinKindsGenerator.generate(discovery(), openApi);
    if (Boolean.getBoolean("devkube.regenerate")) {
      Files.writeString(TABLE, generated);
    }
    assertThat(Files.readString(TABLE))
        .as(
            "regenerate with: ./mvnw -pl devkube-k8s test -Dtest=BuiltinKindsTest -Ddevkube.regenerate=true")
        .isEqualTo(generated);
  }

  @Test
  void builtInKindsResolveWithTheirPluralsAndScope() {
    BuiltinKinds kinds = BuiltinKinds.load();

    ResourceType deployment = found(kinds, "apps", "v1", "Deployment");
    assertThat(deployment.plural()).isEqualTo("deployments");
    assertThat(deployment.namespaced()).isTrue();
    assertThat(deployment.subresources()).contains("scale", "status");
    assertThat(found(kinds, "", "v1", "Endpoints").plural()).isEqualTo("endpoints");
    assertThat(found(kinds, "", "v1", "Node").namespaced()).isFalse();
    assertThat(found(kinds, "networking.k8s.io", "v1", "Ingress").plural()).isEqualTo("ingresses");
    assertThat(found(kinds, "", "v1", "Pod").verbs()).contains("watch", "deletecollection");
    assertThat(found(kinds, "", "v1", "Pod").subresources()).contains("log", "exec", "status");
    assertThat(found(kinds, "storage.k8s.io", "v1", "StorageClass").plural())
        .isEqualTo("storageclasses");
    assertThat(kinds.find("", "v1", "Widget")).isNull();
    assertThat(kinds.kindsOf("apps", "v1")).contains("Deployment", "StatefulSet", "DaemonSet");
    // Served by v1.36 but in no stored discovery document: taken from the OpenAPI document.
    ResourceType claim = found(kinds, "resource.k8s.io", "v1beta2", "ResourceClaim");
    assertThat(claim.plural()).isEqualTo("resourceclaims");
    assertThat(claim.namespaced()).isTrue();
    assertThat(claim.subresources()).containsExactly("status");
    assertThat(kinds.kindsOf("resource.k8s.io", "v1beta2"))
        .containsExactlyInAnyOrder(
            "DeviceClass",
            "DeviceTaintRule",
            "ResourceClaim",
            "ResourceClaimTemplate",
            "ResourceSlice");
    assertThat(kinds.kindsOf("admissionregistration.k8s.io", "v1alpha1"))
        .containsExactlyInAnyOrder("MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding");
  }

  private static ResourceType found(BuiltinKinds kinds, String group, String version, String kind) {
    return Objects.requireNonNull(kinds.find(group, version, kind), kind + " is in the table");
  }
}
