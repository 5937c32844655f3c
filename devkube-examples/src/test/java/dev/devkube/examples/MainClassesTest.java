package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.ClusterCredentials;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.testkit.FakeDigitalOcean;
import dev.devkube.testkit.FakeKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each sample main class run against the fakes: its output and its exit code. */
class MainClassesTest {
  private static final String KEY = Keys.ED25519;
  @TempDir Path tmp;
  private FakeDigitalOcean cloud;
  private Path key;

  @BeforeEach
  void start() throws Exception {
    cloud = FakeDigitalOcean.builder().provisioningTime(Duration.ofMillis(500)).start();
    key = Files.writeString(tmp.resolve("id_ed25519.pub"), KEY + "\n");
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private Run run(
      BiFunction<String[], Cli.Io, Integer> main,
      Map<String, String> env,
      String input,
      String... args) {
    return Run.inProcess(main, env, input, args);
  }

  private Map<String, String> token() {
    return Map.of("DIGITALOCEAN_ACCESS_TOKEN", FakeDigitalOcean.TOKEN);
  }

  private String[] withCloud(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(
        List.of("--api-url", cloud.url().toString(), "--dir", tmp.resolve(".devkube").toString()));
    return all.toArray(new String[0]);
  }

  @Test
  void demoRunsTheWholeFlowOnTheFakesWithoutAToken() throws Exception {
    Run run =
        run(
            Demo::run,
            Map.of(),
            "",
            "--dir",
            tmp.resolve(".devkube").toString(),
            "--ssh-key",
            key.toString());

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith(
            "devkube demo: no DigitalOcean token is set, so this runs on the built-in fakes")
        .contains("Cluster running: https://127.0.0.1:")
        .contains("Credentials written to " + tmp.resolve(".devkube/devkube"))
        .contains(
            "  nfs        PersistentVolumeClaim/nfs-pvc, Deployment/nfs, Service/nfs-service, CiliumNetworkPolicy/nfs-access")
        .contains(
            "  postgres   Secret/postgres-credentials, PersistentVolumeClaim/postgres-data, Deployment/postgres")
        .containsPattern("nfs wiring:    sshd mounts 10\\.96\\.0\\.\\d+:/")
        .containsPattern("nfs wiring:    nginx mounts 10\\.96\\.0\\.\\d+:/")
        .contains("ssh:           ssh -p 30022 dev@203.0.113.7   (simulated)")
        .contains(
            "web:           http://127.0.0.1:8080 while `kubectl -n default port-forward"
                + " service/web-service 8080:80` runs (Java: env.forward(Part.WEB, 8080); jshell:"
                + " forward(\"web\", 8080))   (simulated)")
        .contains(
            "ide:           http://127.0.0.1:3000 while `kubectl -n default port-forward"
                + " service/ide-service 3000:8080` runs (Java: env.forward(Part.IDE, 3000); jshell:"
                + " forward(\"ide\", 3000))   (simulated)")
        // The simulated cluster is gone when the demo ends: no command that would then fail.
        .doesNotContain("kubectl get nodes")
        .doesNotContain("Next: ")
        .containsPattern("ssh host key:  SHA256:[A-Za-z0-9+/]{43} \\(check it on first login\\)")
        .contains("known_hosts:   [203.0.113.7]:30022,[203.0.113.8]:30022 ssh-ed25519 AAAA")
        .contains("ide password:  kubectl -n default get secret ide-password")
        .contains("postgres:      postgresql://dev@postgres.default.svc.cluster.local:5432/dev")
        .contains("Kept the share's volume ")
        .contains("share:         the kept volume ")
        .contains(
            "data:          in the new cluster, /mnt/nfs/outlives.txt says: written before the"
                + " cluster went");
    assertThat(run.out())
        .endsWith(
            "removed "
                + tmp.resolve(".devkube/devkube")
                + ": it held the simulated"
                + " cluster's credentials, gone with it\n");
    assertThat(tmp.resolve(".devkube/devkube")).doesNotExist();
    // What the README shows of the demo's output is what it prints (numbers and ids aside).
    for (String line : readmeDemoOutput()) {
      assertThat(run.out()).as("README line: " + line).containsPattern(asPattern(line));
    }
  }

  /** The lines of the README's sample demo output, without the elisions. */
  static List<String> readmeDemoOutput() throws java.io.IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("```text\ndevkube demo: no DigitalOcean token");
    assertThat(start).as("the README shows the demo's output").isNotNegative();
    String block = readme.substring(start + 8, readme.indexOf("```", start + 8));
    // The progress lines depend on when the polls fall; every other line is checked.
    return block
        .lines()
        .filter(line -> !line.isBlank() && !line.equals("...") && !line.startsWith("  cluster "))
        .toList();
  }

  /** A line as a pattern: each number, id, key or "..." stands for any of its kind. */
  static String asPattern(String line) {
    StringBuilder pattern = new StringBuilder("(?m)^");
    java.util.regex.Matcher parts =
        java.util.regex.Pattern.compile(
                "SHA256:[A-Za-z0-9+/]{43}|AAAA[A-Za-z0-9+/]+\\.\\.\\.|[0-9a-f]{8}-\\.\\.\\.|\\.\\.\\.|\\d+(?:\\.\\d+)?")
            .matcher(line);
    int end = 0;
    while (parts.find()) {
      pattern.append(java.util.regex.Pattern.quote(line.substring(end, parts.start())));
      String part = parts.group();
      pattern.append(
          part.startsWith("SHA256:")
              ? "SHA256:[A-Za-z0-9+/]{43}"
              : part.startsWith("AAAA")
                  ? "AAAA[A-Za-z0-9+/=]+"
                  : part.endsWith("-...")
                      ? "[0-9a-f-]{36}"
                      : part.equals("...") ? ".*" : "\\d+(?:\\.\\d+)?");
      end = parts.end();
    }
    return pattern.append(java.util.regex.Pattern.quote(line.substring(end))).toString();
  }

  @Test
  void demoWithATokenAsksBeforeCreatingAnything() {
    Run declined = run(Demo::run, token(), "n\n", withCloud("--ssh-key", key.toString()));

    assertThat(declined.code()).isEqualTo(1);
    assertThat(declined.out())
        .startsWith("devkube demo on DigitalOcean: this creates a Kubernetes cluster")
        .contains(
            "Create cluster devkube in sfo2 with 2 x s-2vcpu-4gb? It is billed until deleted. [y/N]");
    assertThat(declined.err())
        .isEqualTo("Nothing was created: not confirmed (--yes answers yes)\n");
    assertThat(cloud.clusterIds()).isEmpty();

    Run accepted =
        run(Demo::run, token(), "y\n", withCloud("--ssh-key", key.toString(), "--ssh-only"));
    assertThat(accepted.code()).as(accepted.err()).isZero();
    assertThat(accepted.out())
        .contains("tunnel:        ssh -p 30022 -N -L 8080:web-service.default.svc.cluster.local:80")
        .contains("web:           http://localhost:8080\n")
        .doesNotContain("(simulated)");
    assertThat(cloud.clusterIds()).hasSize(1);
  }

  @Test
  void createClusterCreatesThenAdoptsAndWritesPrivateCredentials() throws Exception {
    Run first =
        run(
            CreateCluster::run,
            token(),
            "",
            withCloud("--yes", "--nodes", "3", "--region", "nyc1"));

    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .startsWith("Using version ")
        .contains("Creating cluster devkube (")
        .contains("  cluster devkube to be running: provisioning")
        .contains("Cluster running: https://127.0.0.1:")
        .contains(
            "Use them with kubectl:   KUBECONFIG="
                + tmp.resolve(".devkube/devkube/kubeconfig")
                + " kubectl get nodes");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(tmp.resolve(".devkube/devkube/kubeconfig"))))
        .isEqualTo("rw-------");
    Run again = run(CreateCluster::run, token(), "", withCloud());
    assertThat(again.code()).isZero();
    assertThat(again.out()).contains("Adopting cluster devkube (").doesNotContain("[y/N]");
    assertThat(cloud.clusterIds()).hasSize(1);
  }

  @Test
  void badInputIsOneLineAndANonZeroExitWithoutAStackTrace() {
    Run noToken = run(CreateCluster::run, Map.of(), "", "--yes");
    assertThat(noToken.code()).isEqualTo(2);
    assertThat(noToken.err())
        .isEqualTo(
            "error: no DigitalOcean token: export DIGITALOCEAN_ACCESS_TOKEN (a token with"
                + " the kubernetes scopes), or run Demo to try devkube on the built-in fakes (see --help)\n");

    Run badRegion = run(CreateCluster::run, token(), "", withCloud("--yes", "--region", "sfo9"));
    assertThat(badRegion.code()).isEqualTo(1);
    assertThat(badRegion.err()).startsWith("error: ").contains("sfo9").doesNotContain("\tat ");
    assertThat(run(CreateCluster::run, token(), "", "--nodes", "many").err())
        .isEqualTo(
            "error: Invalid value for option '--nodes': 'many' is not an int (see --help)\n");
    assertThat(run(CreateCluster::run, token(), "", "--nodes", "0").err())
        .isEqualTo("error: --nodes 0 is not a whole number in 1-512 (see --help)\n");
    assertThat(run(CreateCluster::run, token(), "", "--regoin", "nyc1").err())
        .isEqualTo(
            "error: Unknown options: '--regoin', 'nyc1'; did you mean --region? (see --help)\n");
    assertThat(run(Teardown::run, Map.of(), "", "--colour").code()).isEqualTo(2);
    Run twoWays = run(DeployDevEnvironment::run, Map.of(), "", "--ssh-only", "--forward");
    assertThat(twoWays.code()).isEqualTo(2);
    assertThat(twoWays.err())
        .contains("--ssh-only, --forward and --node-ports are ways to reach web and IDE: pick one");
    assertThat(
            run(
                    DeployDevEnvironment::run,
                    Map.of(),
                    "",
                    "--kubeconfig",
                    tmp.resolve("none").toString(),
                    "--ssh-key",
                    key.toString())
                .err())
        .startsWith("error: ")
        .doesNotContain("\tat ");
    Run debug =
        run(
            DeployDevEnvironment::run,
            Map.of(),
            "",
            "--kubeconfig",
            tmp.resolve("none").toString(),
            "--ssh-key",
            key.toString(),
            "--debug");
    assertThat(debug.code()).isEqualTo(1);
    assertThat(debug.err()).contains("\tat ");
  }

  @Test
  void everyCommandExplainsItself() {
    for (BiFunction<String[], Cli.Io, Integer> main :
        List.<BiFunction<String[], Cli.Io, Integer>>of(
            CreateCluster::run, DeployDevEnvironment::run, Teardown::run, Demo::run)) {
      Run help = run(main, Map.of(), "", "--help");
      assertThat(help.code()).isZero();
      assertThat(help.out()).startsWith("Usage: ").contains("--help").contains("--debug");
    }
  }

  @Test
  void deployThenTeardownAnEnvironmentThroughAKubeconfig() throws Exception {
    try (FakeKubernetes cluster =
        FakeKubernetes.builder().storageClasses("do-block-storage").start()) {
      ClusterCredentials credentials = cluster.credentials();
      Path kubeconfig =
          credentials.writeTo(tmp.resolve("fake")).stream()
              .filter(p -> p.getFileName().toString().equals("kubeconfig"))
              .findFirst()
              .orElseThrow();
      String[] target = {"--kubeconfig", kubeconfig.toString(), "--namespace", "team"};

      Run deploy =
          run(
              DeployDevEnvironment::run,
              Map.of(),
              "",
              concat(target, "--ssh-key", key.toString(), "--ide", "--postgres", "--verify"));
      assertThat(deploy.code()).as(deploy.err()).isZero();
      assertThat(deploy.out())
          .startsWith("Connecting with " + kubeconfig)
          .contains("ssh:           ssh -p 30022 dev@203.0.113.7\n")
          .contains("ide password:  kubectl -n team get secret ide-password")
          .contains("postgres:      postgresql://dev@postgres.team.svc.cluster.local:5432/dev")
          .doesNotContain("redis:")
          .contains("verify():\n  PASSED  NFS pods ready")
          .contains("PASSED  web serves the share")
          .contains("PASSED  IDE lets in with its password")
          .contains("PASSED  Postgres answers");

      Run keep = run(Teardown::run, Map.of(), "", target);
      assertThat(keep.code()).isZero();
      assertThat(keep.out()).contains("Deleted 14 objects of the environment; kept its data");
      Run declined = run(Teardown::run, Map.of(), "no\n", concat(target, "--delete-data"));
      assertThat(declined.code()).isEqualTo(1);
      assertThat(cluster.objects("v1", "PersistentVolumeClaim", "team")).hasSize(2);
      Run all = run(Teardown::run, Map.of(), "y\n", concat(target, "--delete-data"));
      assertThat(all.out()).contains("Deleted 4 objects of the environment, its data included");
      assertThat(cluster.objects("v1", "PersistentVolumeClaim", "team")).isEmpty();
    }
  }

  @Test
  void theShareCanBeAKeptVolumeOrAnExternalShare() throws Exception {
    try (FakeKubernetes cluster =
        FakeKubernetes.builder().storageClasses("do-block-storage").start()) {
      Path kubeconfig =
          cluster.credentials().writeTo(tmp.resolve("fake")).stream()
              .filter(p -> p.getFileName().toString().equals("kubeconfig"))
              .findFirst()
              .orElseThrow();
      String[] target = {"--kubeconfig", kubeconfig.toString(), "--ssh-key", key.toString()};

      Run external =
          run(
              DeployDevEnvironment::run,
              Map.of(),
              "",
              concat(target, "--namespace", "ext", "--external-share", "10.110.0.5:/123/share"));
      assertThat(external.code()).as(external.err()).isZero();
      assertThat(external.out()).contains("nfs share:     10.110.0.5:/123/share");
      assertThat(cluster.object("apps/v1", "Deployment", "ext", "nfs")).isEmpty();
      // The same node ports in another namespace: the first environment goes first.
      assertThat(
              run(
                      Teardown::run,
                      Map.of(),
                      "",
                      "--kubeconfig",
                      kubeconfig.toString(),
                      "--namespace",
                      "ext")
                  .code())
          .isZero();

      Run kept =
          run(
              DeployDevEnvironment::run,
              Map.of(),
              "",
              concat(
                  target,
                  "--namespace",
                  "kept",
                  "--share-volume",
                  "6a1b2c3d-volume",
                  "--share-size",
                  "5Gi"));
      assertThat(kept.code()).as(kept.err()).isZero();
      assertThat(
              cluster.object("v1", "PersistentVolume", null, "devkube-kept-devkube-share").stream()
                  .map(pv -> KubeObject.from(pv).getString("spec.csi.volumeHandle")))
          .containsExactly("6a1b2c3d-volume");

      Run both =
          run(
              DeployDevEnvironment::run,
              Map.of(),
              "",
              concat(target, "--share-volume", "v", "--external-share", "h:/p"));
      assertThat(both.code()).isEqualTo(2);
      assertThat(both.err())
          .contains("--share-volume and --external-share are two places for the share: pick one");
      Run malformed =
          run(DeployDevEnvironment::run, Map.of(), "", concat(target, "--external-share", "h"));
      assertThat(malformed.code()).isEqualTo(2);
      assertThat(malformed.err()).contains("--external-share \"h\" is not HOST:/PATH");
    }
  }

  @Test
  void teardownDeletesTheClusterAndItsVolumesAfterAsking() {
    assertThat(run(CreateCluster::run, token(), "", withCloud("--yes")).code()).isZero();

    Run declined = run(Teardown::run, token(), "", withCloud("--delete-cluster"));
    assertThat(declined.code()).isEqualTo(1);
    assertThat(declined.out())
        .contains("Delete cluster devkube (")
        .contains(")? It has no volumes. [y/N]");
    assertThat(cloud.clusterIds()).hasSize(1);

    Run deleted = run(Teardown::run, token(), "yes\n", withCloud("--delete-cluster"));
    assertThat(deleted.code()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("Deleted cluster devkube");
    assertThat(run(Teardown::run, token(), "", withCloud("--delete-cluster")).out())
        .contains("No cluster named devkube: nothing to delete.");
  }

  @Test
  void theSharesFilesOutliveTheClusterFromTheCommandLine() throws Exception {
    String[] dir = {"--dir", tmp.resolve(".devkube").toString()};
    assertThat(run(CreateCluster::run, token(), "", withCloud("--yes")).code()).isZero();
    Run deployed =
        run(DeployDevEnvironment::run, Map.of(), "", concat(dir, "--ssh-key", key.toString()));
    assertThat(deployed.code()).as(deployed.err()).isZero();
    Path kubeconfig = tmp.resolve(".devkube/devkube/kubeconfig");
    try (KubeClient kube = KubeClient.fromKubeconfig(kubeconfig, null)) {
      assertThat(
              kube.readyPod(KubeObject.of("apps/v1", "Deployment", "sshd").namespace("default"))
                  .exec("sh", "-c", "echo 'written before' > /mnt/nfs/notes")
                  .succeeded())
          .isTrue();
    }

    Run teardown =
        run(Teardown::run, token(), "", withCloud("--delete-cluster", "--snapshot", "--yes"));
    assertThat(teardown.code()).as(teardown.err()).isZero();
    assertThat(teardown.out())
        .contains("Snapshot devkube-share-")
        .contains("Its volumes remain, and are billed, until you delete them.")
        .contains("Kept the share's volume ")
        .contains("the next DeployDevEnvironment of devkube offers to serve it again");
    assertThat(tmp.resolve(".devkube/devkube/share-volume")).exists();

    assertThat(run(CreateCluster::run, token(), "", withCloud("--yes")).code()).isZero();
    Run again =
        run(DeployDevEnvironment::run, Map.of(), "y\n", concat(dir, "--ssh-key", key.toString()));
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out())
        .contains("kept from the earlier cluster devkube, with its files? [y/N]");
    try (KubeClient kube = KubeClient.fromKubeconfig(kubeconfig, null)) {
      assertThat(
              kube.readyPod(KubeObject.of("apps/v1", "Deployment", "sshd").namespace("default"))
                  .exec("cat", "/mnt/nfs/notes")
                  .stdout())
          .isEqualTo("written before\n");
    }
  }

  @Test
  void aManagedShareIsCreatedOnceInTheClustersNetworkAndAdoptedAfter() {
    assertThat(run(CreateCluster::run, token(), "", withCloud("--yes")).code()).isZero();

    Run first =
        run(
            DeployDevEnvironment::run,
            token(),
            "",
            withCloud("--share", "managed", "--yes", "--ssh-key", key.toString()));
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("share:         created devkube-share (")
        .containsPattern("nfs share:     10\\.110\\.0\\.\\d+:/\\d+/");
    Run again =
        run(
            DeployDevEnvironment::run,
            token(),
            "",
            withCloud("--share", "managed", "--ssh-key", key.toString()));
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("share:         adopting devkube-share (");
    Run unknown = run(DeployDevEnvironment::run, token(), "", withCloud("--share", "cloud"));
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("--share cloud is not known: the one kind is managed");
  }

  @Test
  void teardownSucceedsWhenTheDeleteWasMadeButItsAnswerLost() {
    assertThat(run(CreateCluster::run, token(), "", withCloud("--yes")).code()).isZero();
    cloud.loseNextAnswers(1, "DELETE", "/v2/kubernetes/clusters/");

    Run deleted = run(Teardown::run, token(), "", withCloud("--delete-cluster", "--yes"));

    assertThat(deleted.code()).as(deleted.err()).isZero();
    assertThat(deleted.out()).contains("Deleted cluster devkube");
    assertThat(cloud.clusterIds()).isEmpty();
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(Arrays.asList(first));
    all.addAll(Arrays.asList(more));
    return all.toArray(new String[0]);
  }
}
