package dev.devkube.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.testkit.FakeKubernetes;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Python client (Debian's {@code python3-kubernetes}) runs {@code
 * src/test/python/scenarios.py} against FakeKubernetes: typed and dynamic APIs, watches, errors,
 * server-side apply, field validation, dry run, tables and a user limited by RBAC. Skipped, saying
 * why, where the client is not installed ({@code .ci/run} installs it).
 */
class PythonClientConformanceTest {
  @TempDir Path home;

  @Test
  void everyScenarioPasses() throws Exception {
    // Debian's package is for the system interpreter, which a python3 earlier on PATH may hide.
    String python =
        Cli.works("python3", "-c", "import kubernetes") ? "python3" : "/usr/bin/python3";
    Cli.assumeInstalled("the Kubernetes Python client", python, "-c", "import kubernetes");
    try (FakeKubernetes cluster =
        FakeKubernetes.builder()
            .podStartDelay(Duration.ofMillis(20))
            .user("dev", "dev-token-0123456789", "team")
            .start()) {
      Cli cli = new Cli(home);
      Path admin = cli.kubeconfig("admin.kubeconfig", cluster.kubeconfig());
      Path dev = cli.kubeconfig("dev.kubeconfig", cluster.credentials("dev").kubeconfig());
      Path script = Path.of("src/test/python/scenarios.py").toAbsolutePath();
      Cli.Result result =
          cli.run(
              admin,
              Duration.ofMinutes(2),
              python,
              script.toString(),
              admin.toString(),
              dev.toString());
      assertThat(result.out()).as("%s", result).contains("0 failed").doesNotContain("FAIL");
      assertThat(result.out().lines().filter(l -> l.startsWith("PASS"))).hasSize(11);
      assertThat(result.exit()).isZero();
    }
  }
}
