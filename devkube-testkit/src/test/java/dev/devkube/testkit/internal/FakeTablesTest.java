package dev.devkube.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed tables of FakeKubernetes are what {@link FakeTablesGenerator} makes from the
 * reference documents. Regenerate with: {@code ./mvnw -pl devkube-testkit test
 * -Dtest=FakeTablesTest -Ddevkube.regenerate=true}.
 */
class FakeTablesTest {
  static final Path DIR = Path.of("src/main/resources/dev/devkube/testkit/internal");

  static Path reference(String folder) {
    Path dir =
        Path.of(System.getProperty("devkube.reference", "../../shared/reference"))
            .resolve(folder)
            .normalize();
    assumeTrue(
        Files.exists(dir),
        dir
            + " not found (the reference documents live beside the repository in shared/reference)");
    return dir;
  }

  private static void check(String file, String generated) throws IOException {
    Path table = DIR.resolve(file);
    if (Boolean.getBoolean("devkube.regenerate")) {
      Files.writeString(table, generated);
    }
    assertThat(Files.readString(table))
        .as(
            "regenerate with: ./mvnw -pl devkube-testkit test -Dtest=FakeTablesTest"
                + " -Ddevkube.regenerate=true")
        .isEqualTo(generated);
  }

  @Test
  void discoveryTableIsGeneratedFromTheDiscoveryDocuments() throws IOException {
    check("discovery.tsv", FakeTablesGenerator.discovery(reference("kubernetes-discovery")));
  }

  @Test
  void protobufTableIsGeneratedFromTheProtoFiles() throws IOException {
    check("protobuf.tsv", FakeTablesGenerator.protobuf(reference("kubernetes-proto")));
  }

  @Test
  void definitionsAreGeneratedFromTheOpenApiDocument() throws IOException {
    check(
        "openapi-definitions.json",
        FakeTablesGenerator.definitions(
            reference("kubernetes-schemas").resolve("swagger-v1.36.0.json")));
  }
}
