package dev.devkube.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devkube.testkit.FakeKubernetes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl, as users run it, against FakeKubernetes: every scenario passes as on a v1.36 cluster,
 * and what a cluster refuses, the fake refuses with the cluster's words. Skipped, saying why, where
 * kubectl is not installed ({@code .ci/run} installs Debian's {@code kubectl}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlConformanceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** The kubectl to run: {@code -Ddevkube.kubectl=/path/to/kubectl}, or the one on PATH. */
  private static final String KUBECTL = System.getProperty("devkube.kubectl", "kubectl");

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
        labels: {app: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              ports: [{containerPort: 80}]
      """;

  @TempDir static Path home;
  private @Nullable FakeKubernetes cluster;
  private @Nullable Cli cli;
  private @Nullable Path admin;
  private @Nullable Path developer;
  private int minor;

  @BeforeAll
  void start() throws Exception {
    Cli.assumeInstalled("kubectl", KUBECTL, "version", "--client");
    // Debian bookworm's kubectl is 1.20; a few newer commands are used only where present.
    java.util.regex.Matcher version =
        java.util.regex.Pattern.compile("\"minor\":\\s*\"(\\d+)")
            .matcher(
                new Cli(home)
                    .run(
                        home.resolve("none"), TIMEOUT, KUBECTL, "version", "--client", "-o", "json")
                    .out());
    minor = version.find() ? Integer.parseInt(version.group(1)) : 0;
    cluster =
        FakeKubernetes.builder()
            .podStartDelay(Duration.ofMillis(20))
            .user("dev", "dev-token-0123456789", "team")
            .start();
    cli = new Cli(home);
    admin = cli.kubeconfig("admin.kubeconfig", cluster.kubeconfig());
    developer = cli.kubeconfig("dev.kubeconfig", cluster.credentials("dev").kubeconfig());
    Files.writeString(home.resolve("web.yaml"), DEPLOYMENT);
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Cli.Result kubectl(Path kubeconfig, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = KUBECTL;
    System.arraycopy(args, 0, command, 1, args.length);
    return java.util.Objects.requireNonNull(cli).run(kubeconfig, TIMEOUT, command);
  }

  private String ok(String... args) throws Exception {
    Cli.Result result = kubectl(java.util.Objects.requireNonNull(admin), args);
    assertThat(result.exit()).as("kubectl %s\n%s", String.join(" ", args), result).isZero();
    return result.out();
  }

  private String refused(String... args) throws Exception {
    Cli.Result result = kubectl(java.util.Objects.requireNonNull(admin), args);
    assertThat(result.exit()).as("kubectl %s\n%s", String.join(" ", args), result).isNotZero();
    return result.out();
  }

  /** Polls a kubectl command until its output matches {@code pattern} (at most a minute). */
  private String eventually(String pattern, String... args) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String out = "";
    while (System.nanoTime() < deadline) {
      out = ok(args);
      if (java.util.regex.Pattern.compile(pattern).matcher(out).find()) {
        return out;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(
        "kubectl " + String.join(" ", args) + " never matched " + pattern + ":\n" + out);
  }

  private String file(String name) {
    return home.resolve(name).toString();
  }

  @Test
  void discoveryShortNamesCategoriesVersionAndHealth() throws Exception {
    assertThat(ok("version", "-o", "json")).contains("\"gitVersion\": \"v1.36.0\"");
    assertThat(ok("api-resources"))
        .containsPattern("deployments\\s+deploy\\s+apps/v1\\s+true\\s+Deployment")
        .containsPattern("configmaps\\s+cm\\s+v1\\s+true\\s+ConfigMap");
    assertThat(ok("get", "--raw", "/readyz")).isEqualTo("ok");
    assertThat(ok("get", "no", "-o", "wide"))
        .containsPattern("NAME\\s+STATUS\\s+ROLES\\s+AGE\\s+VERSION\\s+INTERNAL-IP\\s+EXTERNAL-IP")
        .containsPattern("node-1\\s+Ready");
    assertThat(ok("get", "ns")).containsPattern("kube-system\\s+Active");
    assertThat(ok("explain", "deployment.spec.replicas")).contains("replicas <integer>");
  }

  @Test
  void protobufBodiesFromCreateSubcommands() throws Exception {
    ok("create", "namespace", "proto");
    ok("create", "configmap", "settings", "--from-literal=a=b", "-n", "proto");
    ok("create", "secret", "generic", "password", "--from-literal=p=q", "-n", "proto");
    ok("create", "deployment", "api", "--image=nginx:1.27", "--replicas=1", "-n", "proto");
    ok("create", "service", "clusterip", "api", "--tcp=80:8080", "-n", "proto");
    assertThat(ok("get", "cm,secret,svc", "-n", "proto"))
        .containsPattern("configmap/settings\\s+1")
        .containsPattern("secret/password\\s+Opaque\\s+1")
        .containsPattern("service/api\\s+ClusterIP\\s+10\\.96\\.");
    assertThat(ok("get", "secret", "password", "-n", "proto", "-o", "jsonpath={.data.p}"))
        .isEqualTo("cQ==");
    assertThat(refused("create", "configmap", "settings", "-n", "proto"))
        .contains("configmaps \"settings\" already exists");
  }

  @Test
  void applyScaleRolloutHistoryUndoAndDelete() throws Exception {
    ok("create", "namespace", "rollout");
    ok("apply", "-n", "rollout", "-f", file("web.yaml"));
    ok("rollout", "status", "-n", "rollout", "deploy/web", "--timeout=30s");
    assertThat(ok("get", "deploy", "-n", "rollout")).containsPattern("web\\s+2/2\\s+2\\s+2");
    assertThat(ok("get", "pods", "-n", "rollout", "-l", "app=web", "-o", "wide"))
        .containsPattern("web-[a-z0-9]+-[a-z0-9]{5}\\s+1/1\\s+Running\\s+0")
        .contains("10.244.0.");
    ok("scale", "-n", "rollout", "deploy/web", "--replicas=3");
    ok("rollout", "status", "-n", "rollout", "deploy/web", "--timeout=30s");
    assertThat(ok("get", "deploy", "web", "-n", "rollout")).containsPattern("web\\s+3/3");
    ok("set", "image", "-n", "rollout", "deploy/web", "web=nginx:1.28");
    ok("rollout", "status", "-n", "rollout", "deploy/web", "--timeout=30s");
    assertThat(ok("rollout", "history", "-n", "rollout", "deploy/web"))
        .containsPattern("(?m)^1\\s")
        .containsPattern("(?m)^2\\s");
    assertThat(ok("get", "rs", "-n", "rollout")).containsPattern("web-[a-z0-9]+\\s+3\\s+3\\s+3");
    ok("rollout", "undo", "-n", "rollout", "deploy/web");
    ok("rollout", "status", "-n", "rollout", "deploy/web", "--timeout=30s");
    assertThat(ok("get", "deploy", "web", "-n", "rollout", "-o", "jsonpath={..image}"))
        .isEqualTo("nginx:1.27");
    assertThat(ok("rollout", "history", "-n", "rollout", "deploy/web"))
        .containsPattern("(?m)^3\\s");
    ok("rollout", "restart", "-n", "rollout", "deploy/web");
    ok("rollout", "status", "-n", "rollout", "deploy/web", "--timeout=30s");
    assertThat(ok("describe", "deploy", "web", "-n", "rollout"))
        .contains("StrategyType:           RollingUpdate")
        .contains("NewReplicaSet:")
        .contains("ScalingReplicaSet");
    assertThat(ok("get", "all", "-n", "rollout"))
        .contains("deployment.apps/web")
        .contains("replicaset.apps/web-");
    ok("delete", "-n", "rollout", "-f", file("web.yaml"));
    eventually("^$", "get", "pods", "-n", "rollout", "-l", "app=web", "-o", "name");
  }

  @Test
  void labelAnnotatePatchWaitLogsAndEvents() throws Exception {
    ok("create", "namespace", "everyday");
    ok("run", "bare", "-n", "everyday", "--image=busybox:1.37", "--restart=Never");
    ok("wait", "-n", "everyday", "--for=condition=Ready", "pod/bare", "--timeout=30s");
    java.util.Objects.requireNonNull(cluster).podLogs("everyday", "bare", "hello from bare\n");
    assertThat(ok("logs", "-n", "everyday", "bare")).isEqualTo("hello from bare\n");
    ok("label", "-n", "everyday", "pod/bare", "tier=tools");
    ok("annotate", "-n", "everyday", "pod/bare", "owner=me");
    assertThat(ok("get", "pods", "-n", "everyday", "-l", "tier=tools", "-o", "name"))
        .isEqualTo("pod/bare\n");
    ok(
        "patch",
        "-n",
        "everyday",
        "pod/bare",
        "--type=merge",
        "-p",
        "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    assertThat(ok("get", "pod", "bare", "-n", "everyday", "--show-labels"))
        .contains("tier=tools")
        .contains("x=y");
    assertThat(ok("get", "events", "-n", "everyday"))
        .containsPattern("Normal\\s+Scheduled\\s+pod/bare\\s+Successfully assigned everyday/bare")
        .containsPattern("Normal\\s+Started\\s+pod/bare");
    assertThat(
            ok(
                "get",
                "pod",
                "bare",
                "-n",
                "everyday",
                "-o",
                "jsonpath={.status.containerStatuses[0].imageID}"))
        .startsWith("docker.io/library/busybox@sha256:");
  }

  @Test
  void diffIsADryRunAndServerSideApplyOwnsFields() throws Exception {
    ok("create", "namespace", "ssa");
    ok("apply", "--server-side", "-n", "ssa", "-f", file("web.yaml"));
    Files.writeString(home.resolve("web3.yaml"), DEPLOYMENT.replace("replicas: 2", "replicas: 3"));
    Cli.Result diff =
        kubectl(
            java.util.Objects.requireNonNull(admin), "diff", "-n", "ssa", "-f", file("web3.yaml"));
    assertThat(diff.exit()).as("%s", diff).isEqualTo(1);
    assertThat(diff.out()).contains("-  replicas: 2").contains("+  replicas: 3");
    assertThat(ok("get", "deploy", "web", "-n", "ssa", "-o", "jsonpath={.spec.replicas}"))
        .as("kubectl diff must not change the live object")
        .isEqualTo("2");
    ok("scale", "-n", "ssa", "deploy/web", "--replicas=4");
    assertThat(refused("apply", "--server-side", "-n", "ssa", "-f", file("web3.yaml")))
        .contains("Apply failed with 1 conflict: conflict with")
        .contains(".spec.replicas");
    ok("apply", "--server-side", "--force-conflicts", "-n", "ssa", "-f", file("web3.yaml"));
    assertThat(ok("get", "deploy", "web", "-n", "ssa", "-o", "jsonpath={.spec.replicas}"))
        .isEqualTo("3");
    assertThat(
            ok(
                "get",
                "deploy",
                "web",
                "-n",
                "ssa",
                "-o",
                "jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation} {end}"))
        .contains("kubectl/Apply");
  }

  @Test
  void whatAClusterRefusesTheFakeRefuses() throws Exception {
    Files.writeString(
        home.resolve("typo.yaml"), DEPLOYMENT.replace("  replicas: 2", "  replica: 2"));
    // kubectl 1.25 and later leave the check to the server (fieldValidation=Strict); older ones
    // check against the OpenAPI v2 document the fake serves.
    assertThat(refused("create", "-f", file("typo.yaml")))
        .contains(
            minor >= 25
                ? "strict decoding error: unknown field \"spec.replica\""
                : "unknown field \"replica\" in io.k8s.api.apps.v1.DeploymentSpec");
    assertThat(refused("get", "pod", "nope"))
        .contains("Error from server (NotFound): pods \"nope\" not found");
    assertThat(refused("create", "configmap", "Bad_Name"))
        .contains("is invalid: metadata.name: Invalid value: \"Bad_Name\"");
    assertThat(refused("delete", "namespace", "kube-system"))
        .contains(
            "Error from server (Forbidden): namespaces \"kube-system\" is forbidden: this namespace may not be deleted");
    assertThat(refused("get", "pods", "--field-selector", "spec.image=x"))
        .contains("field label not supported: spec.image");
  }

  @Test
  void aPodWithAnUnboundClaimStaysPending() throws Exception {
    ok("create", "namespace", "storage");
    String manifest =
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          storageClassName: missing
          accessModes: [ReadWriteOnce]
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: user}
        spec:
          containers: [{name: app, image: busybox:1.37}]
          volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
        """;
    Cli.Result created =
        java.util.Objects.requireNonNull(cli)
            .runWithInput(
                java.util.Objects.requireNonNull(admin),
                TIMEOUT,
                manifest,
                KUBECTL,
                "apply",
                "-n",
                "storage",
                "-f",
                "-");
    assertThat(created.exit()).as("%s", created).isZero();
    eventually(
        "Unschedulable",
        "get",
        "pod",
        "user",
        "-n",
        "storage",
        "-o",
        "jsonpath={.status.conditions[0].reason}");
    assertThat(ok("get", "pvc,pod", "-n", "storage"))
        .containsPattern("persistentvolumeclaim/data\\s+Pending")
        .containsPattern("pod/user\\s+0/1\\s+Pending");
    assertThat(ok("get", "events", "-n", "storage"))
        .containsPattern("Warning\\s+FailedScheduling\\s+pod/user")
        .contains("pod has unbound immediate PersistentVolumeClaims");
  }

  @Test
  void aUserWithARoleBindingSeesOnlyTheirNamespace() throws Exception {
    Path dev = java.util.Objects.requireNonNull(developer);
    Cli.Result mine =
        kubectl(dev, "create", "configmap", "notes", "-n", "team", "--from-literal=a=b");
    assertThat(mine.exit()).as("%s", mine).isZero();
    assertThat(kubectl(dev, "auth", "can-i", "create", "deployments", "-n", "team").out())
        .isEqualTo("yes\n");
    assertThat(kubectl(dev, "auth", "can-i", "list", "nodes").out()).endsWith("no\n");
    Cli.Result denied = kubectl(dev, "get", "pods", "-n", "default");
    assertThat(denied.exit()).isNotZero();
    assertThat(denied.out())
        .contains(
            "Error from server (Forbidden): pods is forbidden: User \"dev\" cannot list resource"
                + " \"pods\" in API group \"\" in the namespace \"default\"");
    if (minor >= 27) {
      assertThat(kubectl(dev, "auth", "whoami").out()).containsPattern("Username\\s+dev");
    }
  }

  @Test
  void watchSeesChangesAsTheyHappen() throws Exception {
    ok("create", "namespace", "watched");
    CompletableFuture<Cli.Result> watch =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return java.util.Objects.requireNonNull(cli)
                    .run(
                        java.util.Objects.requireNonNull(admin),
                        Duration.ofSeconds(5),
                        KUBECTL,
                        "get",
                        "configmaps",
                        "-n",
                        "watched",
                        "--watch",
                        "--output-watch-events");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // The watch prints the namespace's root CA config map (none here) or nothing; wait for it to
    // be open by polling the fake's request log rather than the clock.
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline
        && java.util.Objects.requireNonNull(cluster).requests().stream()
            .noneMatch(
                r ->
                    r.path().endsWith("/namespaces/watched/configmaps")
                        && r.query().contains("watch=true"))) {
      Thread.sleep(20);
    }
    ok("create", "configmap", "seen", "-n", "watched");
    Cli.Result result = watch.get();
    assertThat(result.out()).containsPattern("ADDED\\s+seen\\s+0");
  }

  @Test
  void execAndCpOverWebSockets() throws Exception {
    // kubectl execs over WebSockets (v5.channel.k8s.io) from 1.30; before, over SPDY only.
    assumeTrue(
        minor >= 30,
        "kubectl 1." + minor + " execs over SPDY, which FakeKubernetes does not serve");
    Files.writeString(
        home.resolve("box.yaml"),
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: box, namespace: default}
        spec:
          containers:
          - {name: main, image: "alpine:3.20"}
        """);
    ok("apply", "-f", file("box.yaml"));
    ok("wait", "--for=condition=Ready", "pod/box", "--timeout=60s");
    assertThat(ok("exec", "box", "--", "sh", "-c", "echo hi > /tmp/f && cat /tmp/f"))
        .isEqualTo("hi\n");
    Cli.Result failed =
        kubectl(java.util.Objects.requireNonNull(admin), "exec", "box", "--", "sh", "-c", "exit 3");
    assertThat(failed.exit()).as("%s", failed).isEqualTo(3);
    assertThat(refused("exec", "box", "-c", "nope", "--", "ls"))
        .contains("container nope is not valid for pod box");

    Files.createDirectories(home.resolve("upload/sub"));
    Files.writeString(home.resolve("upload/sub/a.txt"), "alpha");
    ok("cp", file("upload"), "box:/tmp/upload");
    assertThat(ok("exec", "box", "--", "cat", "/tmp/upload/sub/a.txt")).isEqualTo("alpha");
    ok("cp", "box:/tmp/upload", file("download"));
    assertThat(Files.readString(home.resolve("download/sub/a.txt"))).isEqualTo("alpha");
  }
}
