package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN.md's arrows hold over every main source file of the library and the examples. */
class ArchitectureTest {
  static final Path ROOT = Path.of(System.getProperty("devkube.root", ".."));

  @Test
  void everyMainSourceFileKeepsDesignsArrows() {
    long files =
        Architecture.ALLOWED.keySet().stream()
            .mapToLong(m -> Architecture.sources(ROOT.resolve(m).resolve("src/main/java")).size())
            .sum();
    assertThat(files)
        .as("main source files found under " + ROOT.toAbsolutePath())
        .isGreaterThan(80);
    assertThat(Architecture.violations(ROOT)).isEmpty();
  }

  @Test
  void forbiddenArrowsAreNamed() {
    assertThat(
            Architecture.violations(
                "devkube-k8s",
                "K.java",
                "package dev.devkube.k8s;\nimport dev.devkube.digitalocean.DigitalOcean;\n"))
        .containsExactly(
            "K.java: devkube-k8s uses dev.devkube.digitalocean of devkube-digitalocean,"
                + " an arrow DESIGN.md forbids");
    assertThat(
            Architecture.violations(
                "devkube-api",
                "A.java",
                "package dev.devkube;\nclass A { dev.devkube.k8s.KubeClient k; }"))
        .hasSize(1);
    assertThat(
            Architecture.violations(
                "devkube-testkit",
                "T.java",
                "package dev.devkube.testkit;\nimport static dev.devkube.k8s.internal.Json.parse;\n"))
        .containsExactly(
            "T.java: devkube-testkit uses dev.devkube.k8s.internal of devkube-k8s,"
                + " an arrow DESIGN.md forbids");
    assertThat(
            Architecture.violations(
                "devkube-recipes",
                "R.java",
                "package dev.devkube.recipes;\nimport dev.devkube.testkit.*;\n"))
        .hasSize(1);
  }

  @Test
  void picocliIsForTheExamplesOnly() {
    assertThat(
            Architecture.violations(
                "devkube-recipes",
                "R.java",
                "package dev.devkube.recipes;\nimport picocli.CommandLine;\n"))
        .containsExactly(
            "R.java: devkube-recipes uses picocli, which DESIGN.md allows the examples only (a"
                + " library parses no command line)");
    assertThat(
            Architecture.violations(
                "devkube-examples",
                "E.java",
                "package dev.devkube.examples;\nimport picocli.CommandLine;\n"))
        .isEmpty();
  }

  @Test
  void anotherModulesInternalPackageIsNamed() {
    assertThat(
            Architecture.violations(
                "devkube-recipes",
                "R.java",
                "package dev.devkube.recipes;\nimport dev.devkube.k8s.internal.Json;\n"))
        .containsExactly(
            "R.java: devkube-recipes uses dev.devkube.k8s.internal, an internal package of devkube-k8s");
    assertThat(
            Architecture.violations(
                "devkube-k8s",
                "K.java",
                "package dev.devkube.k8s;\nimport dev.devkube.internal.SecureFiles;\n"))
        .as("devkube-api's internal package is shared with devkube's modules")
        .isEmpty();
  }

  @Test
  void commentsStringsAndOwnPackagesAreNotArrows() {
    assertThat(
            Architecture.violations(
                "devkube-k8s",
                "K.java",
                """
                package dev.devkube.k8s.internal;
                import dev.devkube.k8s.KubeObject;
                import dev.devkube.ApiException;
                // see dev.devkube.digitalocean.DigitalOcean
                /** {@link dev.devkube.testkit.FakeKubernetes} */
                class K { String s = "dev.devkube.recipes.DevEnvironment"; char c = '"'; }
                """))
        .isEmpty();
  }

  @Test
  void aBrokenTreeFails(@TempDir Path root) throws Exception {
    Path file = root.resolve("devkube-recipes/src/main/java/dev/devkube/recipes/Bad.java");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file, "package dev.devkube.recipes;\n\nimport dev.devkube.digitalocean.DigitalOcean;\n");
    assertThat(Architecture.violations(root))
        .containsExactly(
            "devkube-recipes/src/main/java/dev/devkube/recipes/Bad.java: devkube-recipes uses"
                + " dev.devkube.digitalocean of devkube-digitalocean, an arrow DESIGN.md forbids");
  }
}
