package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.ClusterSpec;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.recipes.DevEnvironment;
import dev.devkube.testkit.FakeKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each library module's public API, compared with the file that records it: an API change is a
 * visible diff. After a deliberate change, {@code ./mvnw verify -Ddevkube.api.update=true} rewrites
 * the files; review and commit them with the change.
 */
class ApiSurfaceTest {
  static Stream<Arguments> modules() {
    return Stream.of(
        Arguments.of("devkube-api", ClusterSpec.class),
        Arguments.of("devkube-digitalocean", DigitalOcean.class),
        Arguments.of("devkube-k8s", KubeClient.class),
        Arguments.of("devkube-recipes", DevEnvironment.class),
        Arguments.of("devkube-testkit", FakeKubernetes.class));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void publicApiMatchesItsRecord(String module, Class<?> anchor) throws IOException {
    String actual = ApiSurface.of(anchor);
    Path file = ArchitectureTest.ROOT.resolve(module).resolve("api").resolve(module + ".api");
    if (Boolean.getBoolean("devkube.api.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    assertThat(file).as("the API record of " + module).exists();
    String recorded = Files.readString(file);
    assertThat(changes(recorded, actual))
        .as(
            "the public API of "
                + module
                + " differs from "
                + file
                + " (- recorded, + compiled): if the change is"
                + " meant, run ./mvnw verify -Ddevkube.api.update=true and commit the file")
        .isEmpty();
  }

  @org.junit.jupiter.api.Test
  void theRecordNamesTypesAndMembers() {
    String api = ApiSurface.of(ClusterSpec.class);
    assertThat(api)
        .contains("public final class dev.devkube.ClusterSpec")
        .contains(
            "  public static dev.devkube.ClusterSpec dev.devkube.ClusterSpec.named(java.lang.String)")
        .doesNotContain("dev.devkube.internal.")
        .doesNotContain("private ");
    assertThat(changes("a\n  b\n", "a\n  c\n")).containsExactly("-   b", "+   c");
  }

  /** The lines only one side has, as a diff would show them. */
  static List<String> changes(String recorded, String actual) {
    Set<String> before = new LinkedHashSet<>(recorded.lines().toList());
    Set<String> after = new LinkedHashSet<>(actual.lines().toList());
    List<String> changes = new ArrayList<>();
    before.stream().filter(l -> !after.contains(l)).forEach(l -> changes.add("- " + l));
    after.stream().filter(l -> !before.contains(l)).forEach(l -> changes.add("+ " + l));
    return changes;
  }
}
