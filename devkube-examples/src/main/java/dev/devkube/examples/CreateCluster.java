package dev.devkube.examples;

import dev.devkube.CloudProvider;
import dev.devkube.Cluster;
import dev.devkube.ClusterSpec;
import dev.devkube.WaitTimeoutException;
import dev.devkube.digitalocean.DigitalOcean;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * What the original {@code docluster.py} did, done properly: pick the newest Kubernetes version,
 * create the cluster {@code devkube} (or adopt it when it exists), show progress while it
 * provisions, and write its credentials to {@code .devkube/devkube/} with how to use them.
 */
@Command(
    name = "CreateCluster",
    sortOptions = false,
    description = {
      "Creates the DigitalOcean Kubernetes cluster, or adopts it when one of that name exists,"
          + " waits until it runs and writes its credentials (0600) to DIR/NAME/.",
      ""
    },
    footer = {
      "",
      "Reads the token from DIGITALOCEAN_ACCESS_TOKEN (or DIGITALOCEAN_TOKEN, DO_TOKEN), never"
          + " from the command line."
    })
public final class CreateCluster implements Callable<Integer> {
  @Mixin CliOptions.Target target = new CliOptions.Target();
  @Mixin CliOptions.NewCluster cluster = new CliOptions.NewCluster();
  @Mixin CliOptions.Cloud cloud = new CliOptions.Cloud();
  @Mixin CliOptions.Common common = new CliOptions.Common();
  private final Cli.Io io;

  CreateCluster(Cli.Io io) {
    this.io = io;
  }

  public static void main(String[] args) {
    int code = run(args, Cli.Io.system());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Cli.Io io) {
    return Cli.execute(new CreateCluster(io), args, io);
  }

  @Override
  public Integer call() {
    cluster.check();
    ClusterSpec spec = spec(target, cluster); // a bad name fails here, before any request
    try (DigitalOcean digitalOcean = connect(cloud, io)) {
      create(digitalOcean, spec, target, cluster, common, io, true);
    }
    return 0;
  }

  /** The token comes from the environment, never from the command line (where ps would show it). */
  static DigitalOcean connect(CliOptions.Cloud cloud, Cli.Io io) {
    String token = io.token();
    if (token == null) {
      throw new Cli.UsageException(
          "no DigitalOcean token: export DIGITALOCEAN_ACCESS_TOKEN (a token with"
              + " the kubernetes scopes), or run Demo to try devkube on the built-in fakes");
    }
    DigitalOcean.Builder builder = DigitalOcean.builder().token(token);
    if (cloud.apiUrl != null) {
      builder.baseUrl(cloud.apiUrl);
    }
    return builder.build();
  }

  /** The cluster the options describe; checked as it is written, before any request. */
  static ClusterSpec spec(CliOptions.Target target, CliOptions.NewCluster cluster) {
    ClusterSpec spec =
        ClusterSpec.named(target.name)
            .region(cluster.region)
            .nodePool("devpool", cluster.size, cluster.nodes);
    return cluster.version == null ? spec.latestVersion() : spec.version(cluster.version);
  }

  /**
   * Creates or adopts the cluster, waits for it and writes its credentials; returns it running.
   * {@code lasting}: the cluster outlives this program, so the commands that use its credentials
   * are worth printing (not so for the demo's simulated cluster).
   */
  static Cluster create(
      CloudProvider cloud,
      ClusterSpec spec,
      CliOptions.Target target,
      CliOptions.NewCluster options,
      CliOptions.Common common,
      Cli.Io io,
      boolean lasting) {
    // 1. Against what DigitalOcean offers: "latest" becomes the newest version, a typo names the
    //    nearest region or size.
    ClusterSpec resolved = cloud.options().resolve(spec);
    io.out().println("Using version " + resolved.version());

    // 2. Adopt the cluster when it exists; otherwise ask before anything is billed.
    Optional<Cluster> existing = cloud.clusters().find(resolved.name());
    Cluster cluster;
    if (existing.isPresent()) {
      cluster = existing.get();
      io.out()
          .println(
              "Adopting cluster "
                  + cluster.name()
                  + " ("
                  + cluster.id()
                  + "), "
                  + cluster.status().slug());
    } else {
      Cli.confirm(
          common,
          io,
          "Create cluster "
              + resolved.name()
              + " in "
              + resolved.region()
              + " with "
              + resolved.nodeCount()
              + " x "
              + options.size
              + "? It is billed until deleted.",
          "Nothing was created");
      cluster = cloud.clusters().createOrGet(resolved);
      io.out().println("Creating cluster " + cluster.name() + " (" + cluster.id() + ")");
    }

    // 3. Wait, bounded, with progress; an error state fails at once with the server's message.
    //    Interrupted or out of time, it says what is still being created and how to go on.
    String stillCreating = stillCreating(cluster, target);
    Thread onInterrupt = new Thread(() -> io.err().println("\n" + stillCreating), "devkube-ctrl-c");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try (ProgressDisplay progress = Cli.progress(io)) {
      cluster = cluster.awaitRunning(options.clusterTimeout, progress);
    } catch (WaitTimeoutException e) {
      throw new IllegalStateException(e.getMessage() + ". " + stillCreating, e);
    } finally {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    }
    io.out().println("Cluster running: " + cluster.endpoint());

    // 4. Credentials: 0600 files in a 0700 folder, the kubeconfig pointing at them.
    Path folder = target.folder();
    List<Path> written = cluster.credentials().writeTo(folder);
    io.out()
        .println(
            "Credentials written to "
                + folder
                + ": "
                + written.stream().map(p -> p.getFileName().toString()).toList());
    if (lasting) {
      io.out()
          .println(
              "Use them with kubectl:   KUBECONFIG="
                  + folder.resolve("kubeconfig")
                  + " kubectl get nodes");
      io.out().println("or from a shell:         source " + folder.resolve("cluster.env"));
      io.out()
          .println(
              "Next: devkube-examples/run DeployDevEnvironment (it finds "
                  + folder
                  + " by itself)");
    }
    return cluster;
  }

  /** What a user needs when the wait for a cluster ends early: its id, and how to go on. */
  static String stillCreating(Cluster cluster, CliOptions.Target target) {
    String which =
        (target.name.equals("devkube") ? "" : " --name " + target.name)
            + (target.dir.equals(Path.of(".devkube")) ? "" : " --dir " + target.dir);
    return "Cluster "
        + cluster.name()
        + " ("
        + cluster.id()
        + ") is still being created on DigitalOcean, and is billed: `devkube-examples/run"
        + " CreateCluster"
        + which
        + "` adopts it and waits again; `devkube-examples/run Teardown --delete-cluster"
        + which
        + "` deletes it";
  }
}
