package dev.devkube.examples;

import dev.devkube.Cluster;
import dev.devkube.ClusterSpec;
import dev.devkube.ClusterStatus;
import dev.devkube.FileShare;
import dev.devkube.FileShareSpec;
import dev.devkube.ProgressListener;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.recipes.DevEnvironment;
import dev.devkube.testkit.FakeDigitalOcean;
import dev.devkube.testkit.FakeKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a documentation snippet takes for granted, on the fakes: a DigitalOcean account
 * (FakeDigitalOcean), a running cluster and its {@code kube}, a deployed {@code env}, a public
 * {@code key}, and files such as {@code site/}. Each binding is made the first time a snippet asks
 * for it; {@link #close()} removes all of it. Public because the snippets run in JShell.
 */
public final class DocStage implements AutoCloseable {
  /** The fake account's token: the {@code token} of a snippet. */
  public static final String TOKEN = FakeDigitalOcean.TOKEN;

  private static final Duration WAIT = Duration.ofMinutes(2);
  private static @Nullable DocStage current;

  private final Path dir;
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private @Nullable FakeDigitalOcean fake;
  private @Nullable DigitalOcean cloud;
  private @Nullable KubeClient kube;
  private @Nullable DevEnvironment env;
  private @Nullable Cluster kept;
  private @Nullable String shareVolumeId;
  private @Nullable KubeClient nextKube;

  private DocStage(Path dir) {
    this.dir = dir;
  }

  /** A new stage in {@code dir}, the one the static accessors answer from until closed. */
  static DocStage open(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("home/.ssh"));
    Files.writeString(dir.resolve("home/.ssh/id_ed25519.pub"), Keys.ED25519 + "\n");
    Files.createDirectories(dir.resolve("site"));
    Files.writeString(dir.resolve("site/index.html"), "<h1>site</h1>\n");
    current = new DocStage(dir);
    return current;
  }

  private static DocStage stage() {
    return Objects.requireNonNull(current, "no stage is open");
  }

  /** A path under the stage's folder: where a snippet's relative paths point. */
  public static Path path(String first, String... more) {
    return stage().dir.resolve(Path.of(first, more));
  }

  /** The user's home, holding {@code .ssh/id_ed25519.pub}. */
  public static Path home() {
    return path("home");
  }

  /** The public key itself, as {@code sshKeys(...)} takes it. */
  public static String publicKey() {
    return Keys.ED25519;
  }

  /** The public key file of {@code sshKey(key)}. */
  public static Path key() {
    return path("home", ".ssh", "id_ed25519.pub");
  }

  /** The fake DigitalOcean API's address, started on first use. */
  public static String cloudUrl() {
    DocStage stage = stage();
    if (stage.fake == null) {
      stage.fake =
          stage.keep(FakeDigitalOcean.builder().provisioningTime(Duration.ofMillis(50)).start());
    }
    return Objects.requireNonNull(stage.fake).url().toString();
  }

  /** The account, through the DigitalOcean provider. */
  public static DigitalOcean cloud() {
    DocStage stage = stage();
    if (stage.cloud == null) {
      stage.cloud = stage.keep(DigitalOcean.builder().token(TOKEN).baseUrl(cloudUrl()).build());
    }
    return Objects.requireNonNull(stage.cloud);
  }

  /**
   * A new running cluster; polled every 20 ms rather than with a real client's backoff, which waits
   * seconds between checks (the snippets' own waits keep it).
   */
  private static Cluster running(String name) {
    Cluster cluster =
        cloud()
            .clusters()
            .create(
                ClusterSpec.named(name)
                    .region("nyc1")
                    .latestVersion()
                    .nodePool("pool", "s-2vcpu-4gb", 2));
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (cluster.status() != ClusterStatus.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("cluster " + name + " is still " + cluster.status());
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      cluster = cluster.refresh();
    }
    return cluster;
  }

  /** A client of the running cluster {@code stage} (nyc1). */
  public static KubeClient kube() {
    DocStage stage = stage();
    if (stage.kube == null) {
      stage.kube = stage.keep(KubeClient.connect(running("stage")));
    }
    return Objects.requireNonNull(stage.kube);
  }

  /** What {@code KubeClient.fromKubeconfig()} finds: another client of the same cluster. */
  public static KubeClient kubeconfigClient() {
    kube();
    return KubeClient.connect(cloud().clusters().find("stage").orElseThrow());
  }

  /** The whole environment (IDE, toolbox, Postgres, Redis), deployed in {@link #kube()}. */
  public static DevEnvironment env() {
    DocStage stage = stage();
    if (stage.env == null) {
      stage.env =
          DevEnvironment.in(kube())
              .sshKey(key())
              .ide()
              .toolbox()
              .postgres()
              .redis()
              .timeout(WAIT)
              .deploy(ProgressListener.none());
    }
    return Objects.requireNonNull(stage.env);
  }

  /** A small Deployment, applied in {@link #kube()}. */
  public static KubeObject deployment() {
    KubeObject deployment =
        KubeObject.of("apps/v1", "Deployment", "hello")
            .set("spec.selector.matchLabels.app", "hello")
            .set("spec.template.metadata.labels.app", "hello")
            .set("spec.template.spec.containers[0].name", "web")
            .set("spec.template.spec.containers[0].image", "nginx:1.30.4-alpine");
    kube().resource(deployment).apply();
    return deployment;
  }

  /** A second cluster, {@code kept} (nyc1), whose share's volume is {@link #shareVolumeId()}. */
  public static Cluster keptCluster() {
    DocStage stage = stage();
    if (stage.kept == null) {
      Cluster cluster = running("kept");
      try (KubeClient kube = KubeClient.connect(cluster)) {
        DevEnvironment.in(kube).sshKey(key()).timeout(WAIT).deploy(ProgressListener.none());
        String pv =
            kube.resource(KubeObject.of("v1", "PersistentVolumeClaim", "nfs-pvc"))
                .get()
                .orElseThrow()
                .getString("spec.volumeName");
        stage.shareVolumeId =
            kube.resource(KubeObject.of("v1", "PersistentVolume", Objects.requireNonNull(pv)))
                .get()
                .orElseThrow()
                .getString("spec.csi.volumeHandle");
      }
      stage.kept = cluster;
    }
    return Objects.requireNonNull(stage.kept);
  }

  /** The DigitalOcean volume holding the share's files in {@link #keptCluster()}. */
  public static String shareVolumeId() {
    keptCluster();
    return Objects.requireNonNull(stage().shareVolumeId);
  }

  /**
   * The share's volume of {@link #keptCluster()}, after that cluster was deleted (volumes kept).
   */
  public static String keptVolumeId() {
    Cluster cluster = keptCluster();
    cluster.delete();
    cluster.awaitDeleted(WAIT);
    return shareVolumeId();
  }

  /** A managed NFS share ({@code team-share}) in the VPC of {@link #kube()}'s cluster, active. */
  public static FileShare managedShare() {
    kube();
    Cluster cluster = cloud().clusters().find("stage").orElseThrow();
    return cloud()
        .fileShares()
        .awaitActive(
            cloud()
                .fileShares()
                .create(
                    FileShareSpec.named("team-share")
                        .region(cluster.region())
                        .vpc(Objects.requireNonNull(cluster.vpcId()))),
            WAIT,
            ProgressListener.none());
  }

  /**
   * {@link #kube()}, once {@link #env()} is deployed in it. The fake runs no containers, so the NFS
   * server's log is set to what its start script ({@code NfsServer.startScript}) prints once it
   * serves; the log stays open, as a running server's does.
   */
  public static KubeClient kubeWithEnvironment() {
    DevEnvironment deployed = env();
    FakeKubernetes cluster =
        Objects.requireNonNull(
            Objects.requireNonNull(stage().fake)
                .kubernetes(cloud().clusters().find("stage").orElseThrow().id()));
    for (KubeObject pod :
        kube()
            .resources("v1", "Pod")
            .inNamespace(deployed.namespace())
            .withLabel("app", "nfs")
            .list()) {
      cluster.podLogs(
          deployed.namespace(), Objects.requireNonNull(pod.name()), "serving /exports\n");
    }
    return kube();
  }

  /** A third cluster, {@code next} (nyc1): where kept data is served again. */
  public static KubeClient nextKube() {
    DocStage stage = stage();
    if (stage.nextKube == null) {
      stage.nextKube = stage.keep(KubeClient.connect(running("next")));
    }
    return Objects.requireNonNull(stage.nextKube);
  }

  private <T extends AutoCloseable> T keep(T resource) {
    opened.push(resource);
    return resource;
  }

  @Override
  public void close() {
    current = null;
    IllegalStateException failed = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (failed == null) {
          failed = new IllegalStateException("could not stop the stage", e);
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
