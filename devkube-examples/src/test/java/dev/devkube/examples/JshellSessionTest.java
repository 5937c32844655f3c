package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.testkit.FakeKubernetes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jshell startup script, loaded into a real JShell and its verbs run against FakeKubernetes.
 */
class JshellSessionTest {
  private static final Path SCRIPT = Path.of("src/main/jshell/devkube.jsh");
  @TempDir Path tmp;

  /** Evaluates one snippet; fails on a compile error or an exception, returns its value. */
  private static @Nullable String eval(JShell shell, String source) {
    List<SnippetEvent> events = shell.eval(source);
    String value = null;
    for (SnippetEvent event : events) {
      assertThat(event.status())
          .as(
              source
                  + ": "
                  + shell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).toList())
          .isIn(Snippet.Status.VALID, Snippet.Status.OVERWRITTEN);
      assertThat(event.exception()).as(source).isNull();
      value = event.value();
    }
    return value;
  }

  @Test
  void theStartupScriptGivesKubeAndTheOriginalVerbs() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = System.out;
    try (FakeKubernetes cluster =
        FakeKubernetes.builder().storageClasses("do-block-storage").start()) {
      Path kubeconfig =
          cluster.credentials().writeTo(tmp).stream()
              .filter(p -> p.getFileName().toString().equals("kubeconfig"))
              .findFirst()
              .orElseThrow();
      System.setProperty("devkube.kubeconfig", kubeconfig.toString());
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      try (JShell shell = Shells.inThisThread()) {
        shell.addToClasspath(System.getProperty("java.class.path"));
        List<String> snippets = new ArrayList<>();
        String rest = Files.readString(SCRIPT);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (!rest.isBlank()) {
          SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
          snippets.add(info.source());
          rest = info.remaining();
        }
        for (String snippet : snippets) {
          eval(shell, snippet);
        }
        eval(shell, "sshKeys = \"" + Keys.ED25519 + "\"");

        assertThat(eval(shell, "deployNfs().server()")).startsWith("\"10.96.");
        eval(shell, "deploySsh()");
        eval(shell, "deployWeb()");
        assertThat(eval(shell, "nodeIps()")).isEqualTo("[203.0.113.7, 203.0.113.8]");
        assertThat(eval(shell, "deployIde().url()")).isEqualTo("\"http://127.0.0.1:3000\"");
        assertThat(eval(shell, "idePassword().length()")).isEqualTo("24");
        assertThat(eval(shell, "deployPostgres().secretName()"))
            .isEqualTo("\"postgres-credentials\"");
        assertThat(eval(shell, "status().isReady()")).isEqualTo("true");
        // Every part that exists, found by its labels, with or without an ssh key at hand.
        eval(shell, "sshKeys = null");
        assertThat(eval(shell, "status().toString()"))
            .contains("environment devkube in namespace default: ready, on 203.0.113.7")
            .containsPattern("Deployment +ide +ready")
            .containsPattern("Deployment +postgres +ready")
            .containsPattern("PersistentVolumeClaim +postgres-data +ready")
            .containsPattern("Deployment +sshd +ready");
        eval(shell, "sshKeys = \"" + Keys.ED25519 + "\"");
        assertThat(eval(shell, "sh(\"ssh\", \"echo hi > /mnt/nfs/hello.txt\")")).isEqualTo("0");
        assertThat(eval(shell, "sh(\"web\", \"cat /usr/share/nginx/html/hello.txt\")"))
            .isEqualTo("0");
        eval(shell, "var web = forward(\"web\");");
        assertThat(eval(shell, "web.url().startsWith(\"http://127.0.0.1:\")")).isEqualTo("true");
        eval(shell, "web.close()");
        eval(shell, "logs()");
        assertThat(eval(shell, "verify().passed()")).isEqualTo("true");
        eval(shell, "ppo(KubeObject.of(\"apps/v1\", \"Deployment\", \"nfs\"))");
        eval(shell, "ppk(\"v1\", \"Service\")");
      } finally {
        System.setOut(out);
        System.clearProperty("devkube.kubeconfig");
      }
    }
    assertThat(printed.toString(StandardCharsets.UTF_8))
        .contains("kube: " + tmp.resolve("kubeconfig"))
        .containsPattern("nfs running in cluster on 10\\.96\\.0\\.\\d+")
        .contains("ssh accessible on port 30022 on IPs ['203.0.113.7', '203.0.113.8']")
        .contains("web server accessible at http://203.0.113.7:30080")
        .contains(
            "IDE accessible at http://127.0.0.1:3000 while forward(\"ide\", 3000) runs;"
                + " password: idePassword()")
        .contains("kind: Deployment")
        .contains("name: nfs-service")
        .contains("hi\n")
        .contains("web at http://127.0.0.1:")
        .contains("PASSED  web serves the share")
        .doesNotContain("managedFields");
  }
}
