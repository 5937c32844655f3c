package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.testkit.FakeDigitalOcean;
import dev.devkube.testkit.FakeKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The programs' command lines: help, values checked before anything is made, CLI-worded errors. */
class CommandLineTest {
  @TempDir Path tmp;
  private FakeDigitalOcean cloud;
  private Path key;

  @BeforeEach
  void start() throws Exception {
    // Slow enough that no wait of these tests sees a cluster run.
    cloud = FakeDigitalOcean.builder().provisioningTime(Duration.ofMinutes(10)).start();
    key = Files.writeString(tmp.resolve("id_ed25519.pub"), Keys.ED25519 + "\n");
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private static Run run(
      BiFunction<String[], Cli.Io, Integer> main, Map<String, String> env, String... args) {
    return Run.inProcess(main, env, "", args);
  }

  private String[] withCloud(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(
        List.of("--api-url", cloud.url().toString(), "--dir", tmp.resolve(".devkube").toString()));
    return all.toArray(new String[0]);
  }

  private static Map<String, String> token() {
    return Map.of("DIGITALOCEAN_ACCESS_TOKEN", FakeDigitalOcean.TOKEN);
  }

  @Test
  void everyOptionIsInTheHelpAndDescribed() throws Exception {
    Map<BiFunction<String[], Cli.Io, Integer>, Function<Cli.Io, Object>> programs =
        Map.of(
            CreateCluster::run, io -> command(CreateCluster.class, io),
            DeployDevEnvironment::run, io -> command(DeployDevEnvironment.class, io),
            Teardown::run, io -> command(Teardown.class, io),
            Demo::run, io -> command(Demo.class, io));
    for (var program : programs.entrySet()) {
      Run help = run(program.getKey(), Map.of(), "--help");
      assertThat(help.code()).isZero();
      CommandLine line = new CommandLine(program.getValue().apply(Cli.Io.system()));
      assertThat(line.getCommandSpec().options()).hasSizeGreaterThan(4);
      for (OptionSpec option : line.getCommandSpec().options()) {
        assertThat(help.out()).as(line.getCommandName()).contains(option.longestName());
        assertThat(String.join(" ", option.description())).isNotBlank();
      }
    }
    assertThat(run(Demo::run, Map.of(), "--help").out())
        .contains("--cluster-timeout=TIME")
        .contains("(default 20m;")
        .contains("--deploy-timeout=TIME")
        .contains("(default 10m;");
  }

  /** A program's command object, made as its run() makes it. */
  private static Object command(Class<?> type, Cli.Io io) {
    try {
      var constructor = type.getDeclaredConstructor(Cli.Io.class);
      constructor.setAccessible(true);
      return constructor.newInstance(io);
    } catch (ReflectiveOperationException e) {
      throw new LinkageError(e.getMessage(), e);
    }
  }

  @Test
  void demoChecksEveryValueBeforeItCreatesAnything() {
    for (String[] bad :
        List.of(
            new String[] {"--ssh-key", tmp.resolve("missing.pub").toString()},
            new String[] {"--deploy-timeout", "0s"},
            new String[] {"--cluster-timeout", "25h"},
            new String[] {"--ssh-only", "--node-ports"},
            new String[] {"--nodes", "0"},
            new String[] {"--name", "Not_A_Name"})) {
      Run refused = run(Demo::run, token(), withCloud(bad));
      assertThat(refused.code()).as(String.join(" ", bad) + ": " + refused.err()).isIn(1, 2);
      assertThat(refused.err()).as(String.join(" ", bad)).startsWith("error: ");
      assertThat(refused.out()).doesNotContain("Creating cluster");
    }
    assertThat(cloud.clusterIds()).isEmpty();
    assertThat(run(Demo::run, token(), withCloud("--deploy-timeout", "0s")).err())
        .isEqualTo("error: --deploy-timeout 0ms is not between 1s and 24h (see --help)\n");
  }

  @Test
  void aClusterThatOutlastsTheWaitIsNamedWithWhatAdoptsOrDeletesIt() {
    Run run =
        run(
            CreateCluster::run,
            token(),
            withCloud("--yes", "--name", "slow", "--cluster-timeout", "2s"));

    assertThat(run.code()).isEqualTo(1);
    String id = cloud.clusterIds().iterator().next();
    assertThat(run.out()).contains("Creating cluster slow (" + id + ")");
    assertThat(run.err())
        .startsWith("error: ")
        .contains(
            "Cluster slow ("
                + id
                + ") is still being created on DigitalOcean, and is billed: `devkube-examples/run"
                + " CreateCluster --name slow --dir "
                + tmp.resolve(".devkube")
                + "` adopts it and waits again; `devkube-examples/run Teardown --delete-cluster"
                + " --name slow --dir "
                + tmp.resolve(".devkube")
                + "` deletes it")
        .hasLineCount(1);
  }

  @Test
  void theSdksAdviceIsGivenInCommandLineTerms() throws Exception {
    assertThat(
            Cli.inCliTerms(
                "PVC nfs-pvc would stay Pending: no storage class \"x\" in this cluster (it has"
                    + " standard): set NfsServer.create().storageClass(...), or null for the"
                    + " default class"))
        .endsWith(
            "(it has standard): set --storage-class NAME, or --storage-class default for the"
                + " cluster's default class");
    assertThat(
            Cli.inCliTerms(
                "30022 is used by x: give y another node port, or call autoNodePorts() to let devkube pick a free one"))
        .contains("or give --auto-node-ports to let devkube pick");
    assertThat(
            Cli.inCliTerms("exists in region nyc1, not sfo2: use region(\"nyc1\"), another name"))
        .contains("use --region nyc1, another name");

    try (FakeKubernetes cluster = FakeKubernetes.start()) {
      Path kubeconfig =
          cluster.credentials().writeTo(tmp.resolve("fake")).stream()
              .filter(p -> p.getFileName().toString().equals("kubeconfig"))
              .findFirst()
              .orElseThrow();
      Run run =
          run(
              DeployDevEnvironment::run,
              Map.of(),
              "--kubeconfig",
              kubeconfig.toString(),
              "--ssh-key",
              key.toString());
      assertThat(run.code()).isEqualTo(1);
      assertThat(run.err())
          .contains("no storage class \"do-block-storage\"")
          .contains("set --storage-class NAME, or --storage-class default")
          .doesNotContain("NfsServer")
          .hasLineCount(1);
    }
  }

  @Test
  void aKubeconfigThatIsNotThereIsNamed() {
    Path missing = tmp.resolve("nowhere/kubeconfig");
    Run run =
        run(
            DeployDevEnvironment::run,
            Map.of(),
            "--kubeconfig",
            missing.toString(),
            "--ssh-key",
            key.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains(missing.toString()).doesNotContain("set KUBECONFIG");
  }
}
