package dev.devkube.examples;

import dev.devkube.CloudProvider;
import dev.devkube.Cluster;
import dev.devkube.ClusterSpec;
import dev.devkube.digitalocean.DigitalOcean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the original {@code docluster.py} did, done properly: pick the newest Kubernetes version,
 * create the cluster {@code devkube} (or adopt it when it exists), show progress while it
 * provisions, and write its credentials to {@code .devkube/devkube/} with how to use them.
 */
public final class CreateCluster {

  private CreateCluster() {}

  public static void main(String[] args) {
    int code = run(args, Cli.Io.system());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Cli.Io io) {
    return Cli.run(
        Cli.usage("CreateCluster"),
        args,
        defaults(),
        Set.of(),
        io,
        (options, unused) -> {
          try (DigitalOcean cloud = connect(options, io)) {
            create(cloud, options, io);
          }
        });
  }

  /** The original's values, as defaults every option can change. */
  static Map<String, @Nullable String> defaults() {
    Map<String, @Nullable String> defaults = new LinkedHashMap<>();
    defaults.put("name", "devkube");
    defaults.put("region", "sfo2");
    defaults.put("size", "s-2vcpu-4gb");
    defaults.put("nodes", "2");
    defaults.put("version", null);
    defaults.put("dir", ".devkube");
    defaults.put("timeout", "20");
    defaults.put("api-url", null);
    return defaults;
  }

  /** The token comes from the environment, never from the command line (where ps would show it). */
  static DigitalOcean connect(Cli.Options options, Cli.Io io) {
    String token = io.token();
    if (token == null) {
      throw new Cli.UsageException(
          "no DigitalOcean token: export DIGITALOCEAN_ACCESS_TOKEN (a token with"
              + " the kubernetes scopes), or run Demo to try devkube on the built-in fakes");
    }
    DigitalOcean.Builder builder = DigitalOcean.builder().token(token);
    if (options.get("api-url") != null) {
      builder.baseUrl(options.require("api-url"));
    }
    return builder.build();
  }

  /** Creates or adopts the cluster, waits for it and writes its credentials; returns it running. */
  static Cluster create(CloudProvider cloud, Cli.Options options, Cli.Io io) throws Exception {
    // 1. The spec is checked as it is written: a bad name or count fails here, before any request.
    ClusterSpec spec =
        ClusterSpec.named(options.require("name"))
            .region(options.require("region"))
            .nodePool("devpool", options.require("size"), options.number("nodes", 1, 512));
    spec =
        options.get("version") == null
            ? spec.latestVersion()
            : spec.version(options.require("version"));

    // 2. Against what DigitalOcean offers: "latest" becomes the newest version, a typo names the
    //    nearest region or size.
    ClusterSpec resolved = cloud.options().resolve(spec);
    io.out().println("Using version " + resolved.version());

    // 3. Adopt the cluster when it exists; otherwise ask before anything is billed.
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
          options,
          io,
          "Create cluster "
              + resolved.name()
              + " in "
              + resolved.region()
              + " with "
              + resolved.nodeCount()
              + " x "
              + options.require("size")
              + "? It is billed until deleted.",
          "Nothing was created");
      cluster = cloud.clusters().createOrGet(resolved);
      io.out().println("Creating cluster " + cluster.name() + " (" + cluster.id() + ")");
    }

    // 4. Wait, bounded, with progress; an error state fails at once with the server's message.
    Duration timeout = Duration.ofMinutes(options.number("timeout", 1, 24 * 60));
    cluster = cluster.awaitRunning(timeout, Cli.progress(io));
    Cli.endProgress(io);
    io.out().println("Cluster running: " + cluster.endpoint());

    // 5. Credentials: 0600 files in a 0700 folder, the kubeconfig pointing at them.
    Path folder = Path.of(options.require("dir"), cluster.name());
    List<Path> written = cluster.credentials().writeTo(folder);
    io.out()
        .println(
            "Credentials written to "
                + folder
                + ": "
                + written.stream().map(p -> p.getFileName().toString()).toList());
    io.out()
        .println(
            "Use them with kubectl:   KUBECONFIG="
                + folder.resolve("kubeconfig")
                + " kubectl get nodes");
    io.out().println("or from a shell:         source " + folder.resolve("cluster.env"));
    io.out().println("Next: DeployDevEnvironment (it finds " + folder + " by itself)");
    return cluster;
  }
}
