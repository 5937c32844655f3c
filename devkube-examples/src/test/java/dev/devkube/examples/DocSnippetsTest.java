package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java snippet of the README and docs/, compiled and run in JShell against the fakes, as
 * written, but for what stands in for the outside world ({@link #STAND_INS}: the fake
 * DigitalOcean's address, the fake cluster, a scratch folder for files) and the {@code ...} that
 * stand for the reader's own code. The names a snippet takes for granted ({@code kube}, {@code
 * env}, {@code key}, ...) come from {@link DocStage}.
 */
class DocSnippetsTest {
  private static final Path ROOT = Path.of("..");

  /** Where a snippet reaches the real world, what it reaches on the fakes instead. */
  static final Map<String, String> STAND_INS = new LinkedHashMap<>();

  static {
    STAND_INS.put(
        "DigitalOcean.fromEnvironment()",
        "DigitalOcean.builder().token(DocStage.TOKEN).baseUrl(DocStage.cloudUrl()).build()");
    STAND_INS.put(".token(token).build()", ".token(token).baseUrl(DocStage.cloudUrl()).build()");
    STAND_INS.put("KubeClient.fromKubeconfig()", "DocStage.kubeconfigClient()");
    STAND_INS.put("System.getProperty(\"user.home\")", "DocStage.home().toString()");
    STAND_INS.put("Path.of(\"/home/me/.ssh/id_ed25519.pub\")", "DocStage.key()");
    STAND_INS.put("Path.of(\".devkube\", ", "DocStage.path(\".devkube\", ");
    STAND_INS.put("Path.of(\"site\")", "DocStage.path(\"site\")");
    STAND_INS.put("Path.of(\"back\")", "DocStage.path(\"back\")");
    STAND_INS.put("{ ... }", "{ }");
    STAND_INS.put("-> ...)", "-> {})");
  }

  /** The names snippets use without declaring them, and what binds them. */
  private static final Map<String, String> BINDINGS = new LinkedHashMap<>();

  static {
    BINDINGS.put("token", "String token = DocStage.TOKEN;");
    BINDINGS.put("key", "Path key = DocStage.key();");
    BINDINGS.put("kube", "KubeClient kube = DocStage.kube();");
    BINDINGS.put("env", "DevEnvironment env = DocStage.env();");
    BINDINGS.put("deployment", "KubeObject deployment = DocStage.deployment();");
    BINDINGS.put("log", "org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(\"docs\");");
    BINDINGS.put("cloud", "DigitalOcean cloud = DocStage.cloud();");
    BINDINGS.put("cluster", "Cluster cluster = DocStage.keptCluster();");
    BINDINGS.put("shareVolumeId", "String shareVolumeId = DocStage.shareVolumeId();");
    BINDINGS.put("keptVolumeId", "String keptVolumeId = DocStage.keptVolumeId();");
    BINDINGS.put("managedShare", "FileShare managedShare = DocStage.managedShare();");
    BINDINGS.put("nextKube", "KubeClient nextKube = DocStage.nextKube();");
    BINDINGS.put(
        "spec",
        "ClusterSpec spec = ClusterSpec.named(\"docs\").region(\"nyc1\").latestVersion()"
            + ".nodePool(\"pool\", \"s-2vcpu-4gb\", 2);");
    BINDINGS.put(
        "context",
        "RecipeContext context = new RecipeContext(\"default\", \"devkube\", Profile.DEFAULT);");
    BINDINGS.put("share", "NfsShare share = new NfsShare(\"10.96.0.10\", \"/\");");
    BINDINGS.put("keys", "List<String> keys = List.of(DocStage.publicKey());");
  }

  private static final String IMPORTS =
      """
      import dev.devkube.*;
      import dev.devkube.k8s.*;
      import dev.devkube.recipes.*;
      import dev.devkube.digitalocean.DigitalOcean;
      import dev.devkube.testkit.*;
      import dev.devkube.examples.DocStage;
      import java.nio.file.Path;
      import java.time.Duration;
      import java.util.List;
      import static java.nio.charset.StandardCharsets.UTF_8;
      import static org.assertj.core.api.Assertions.assertThat;
      import org.junit.jupiter.api.Test;
      """;

  /** One ```java block: where it is, and its text. */
  record Block(String file, int line, String code) {
    @Override
    public String toString() {
      return file + ":" + line;
    }
  }

  static List<Block> blocks() throws IOException {
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(f -> f.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    List<Block> blocks = new ArrayList<>();
    for (Path file : files) {
      String text = Files.readString(file);
      Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(text);
      while (block.find()) {
        int line = (int) text.substring(0, block.start()).lines().count() + 2;
        blocks.add(new Block(ROOT.relativize(file).toString(), line, block.group(1)));
      }
    }
    return blocks;
  }

  @Test
  void theDocsHaveSnippetsAndEachIsFound() throws IOException {
    assertThat(blocks())
        .hasSizeGreaterThanOrEqualTo(20)
        .extracting(Block::file)
        .contains("README.md", "docs/recipes.md", "docs/reach-inside.md", "docs/testkit.md");
  }

  /** The snippet as it runs here: stand-ins for the outside world, {@code ...} taken out. */
  static String runnable(String code) {
    String result = code;
    for (Map.Entry<String, String> standIn : STAND_INS.entrySet()) {
      result = result.replace(standIn.getKey(), standIn.getValue());
    }
    return result.replaceAll("(?m)^\\s*\\.\\.\\.\\s*$", "");
  }

  /** The bindings {@code code} uses without declaring. */
  static List<String> bindings(String code) {
    List<String> needed = new ArrayList<>();
    for (Map.Entry<String, String> binding : BINDINGS.entrySet()) {
      String name = Pattern.quote(binding.getKey());
      boolean used =
          Pattern.compile("(?<![.\\w\"])" + name + "\\b(?!\\s*\\()").matcher(code).find();
      boolean declared =
          Pattern.compile("[\\w>\\]]\\s+" + name + "\\s*(=|:|;|\\))").matcher(code).find();
      if (used && !declared) {
        // A snippet that reaches a Deployment of the environment runs where it is deployed.
        needed.add(
            binding.getKey().equals("kube")
                    && code.contains("KubeObject.of(\"apps/v1\", \"Deployment\"")
                ? "KubeClient kube = DocStage.kubeWithEnvironment();"
                : binding.getValue());
      }
    }
    return needed;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void runsAsWritten(Block block, @TempDir Path dir) throws Exception {
    String code = runnable(block.code());
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    DocStage stage = DocStage.open(dir);
    try (stage;
        JShell shell = Shells.inThisThread()) {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      for (String source : statements(shell, IMPORTS)) {
        eval(shell, block, source);
      }
      for (String binding : bindings(code)) {
        eval(shell, block, binding);
      }
      List<String> methods = new ArrayList<>();
      for (String source : statements(shell, code)) {
        for (SnippetEvent event : eval(shell, block, source)) {
          if (event.snippet() instanceof MethodSnippet method
              && method.parameterTypes().isEmpty()) {
            methods.add(method.name());
          }
        }
      }
      for (String method : methods) {
        eval(shell, block, method + "();"); // a test in the docs runs, as JUnit would run it
      }
    } finally {
      System.setOut(out);
    }
  }

  private static List<String> statements(JShell shell, String code) {
    List<String> statements = new ArrayList<>();
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String rest = code;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
      if (info.source() == null || info.source().isBlank()) {
        statements.add(rest);
        break;
      }
      statements.add(info.source());
      rest = info.remaining();
    }
    return statements;
  }

  private static List<SnippetEvent> eval(JShell shell, Block block, String source) {
    List<SnippetEvent> events = shell.eval(source);
    for (SnippetEvent event : events) {
      assertThat(event.status())
          .as(
              block
                  + ": "
                  + source.strip()
                  + "\n"
                  + shell.diagnostics(event.snippet()).map(d -> d.getMessage(null)).toList())
          .isIn(Snippet.Status.VALID, Snippet.Status.OVERWRITTEN);
      if (event.exception() != null) {
        throw new AssertionError(
            block + ": " + source.strip() + " threw " + event.exception(), event.exception());
      }
    }
    return events;
  }
}
