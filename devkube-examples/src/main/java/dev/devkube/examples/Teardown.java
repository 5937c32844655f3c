package dev.devkube.examples;

import dev.devkube.AssociatedResources;
import dev.devkube.CloudProvider;
import dev.devkube.Cluster;
import dev.devkube.DeleteOption;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.recipes.DevEnvironment;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Removes the development environment (keeping its data unless told), or deletes the whole cluster;
 * asks before destroying data or volumes unless {@code --yes}.
 */
public final class Teardown {

  private Teardown() {}

  public static void main(String[] args) {
    int code = run(args, Cli.Io.system());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Cli.Io io) {
    Map<String, @Nullable String> defaults = DeployDevEnvironment.defaults();
    defaults.put("api-url", null);
    defaults.put("timeout", "10");
    return Cli.run(
        Cli.usage("Teardown"),
        args,
        defaults,
        Set.of("delete-data", "delete-cluster", "keep-volumes"),
        io,
        (options, unused) -> {
          if (options.has("delete-cluster")) {
            try (DigitalOcean cloud = CreateCluster.connect(options, io)) {
              deleteCluster(cloud, options, io);
            }
          } else {
            try (KubeClient kube = DeployDevEnvironment.connect(options, io)) {
              removeEnvironment(kube, options, io);
            }
          }
        });
  }

  /** Deletes what the environment's labels find; the data only when asked and confirmed. */
  static void removeEnvironment(KubeClient kube, Cli.Options options, Cli.Io io) throws Exception {
    boolean keepData = !options.has("delete-data");
    if (!keepData) {
      Cli.confirm(
          options,
          io,
          "Delete the share's files and the databases' data in namespace "
              + options.require("namespace")
              + "? This cannot be undone.",
          "Nothing was deleted");
    }
    int deleted =
        DevEnvironment.in(kube).namespace(options.require("namespace")).teardown(keepData);
    io.out()
        .println(
            "Deleted "
                + deleted
                + " objects of the environment"
                + (keepData
                    ? "; kept its data (run with --delete-data to remove it)"
                    : ", its data included"));
  }

  /** Deletes the cluster, naming the volumes that go with it (or stay) before asking. */
  static void deleteCluster(CloudProvider cloud, Cli.Options options, Cli.Io io) throws Exception {
    Optional<Cluster> found = cloud.clusters().find(options.require("name"));
    if (found.isEmpty()) {
      io.out().println("No cluster named " + options.require("name") + ": nothing to delete.");
      return;
    }
    Cluster cluster = found.get();
    AssociatedResources resources = cluster.associatedResources();
    boolean keepVolumes = options.has("keep-volumes");
    String volumes =
        resources.volumes().isEmpty()
            ? "it has no volumes"
            : (keepVolumes ? "keep" : "destroy")
                + " its "
                + resources.volumes().size()
                + " volume(s) "
                + resources.volumes().stream().map(AssociatedResources.Resource::name).toList();
    Cli.confirm(
        options,
        io,
        "Delete cluster " + cluster.name() + " (" + cluster.id() + ") and " + volumes + "?",
        "Nothing was deleted");
    if (keepVolumes) {
      cluster.delete();
    } else {
      cluster.delete(DeleteOption.DESTROY_VOLUMES);
    }
    cluster.awaitDeleted(Duration.ofMinutes(options.number("timeout", 1, 120)));
    io.out()
        .println(
            "Deleted cluster "
                + cluster.name()
                + (keepVolumes && !resources.volumes().isEmpty()
                    ? "; its volumes remain, and are billed, until you delete them"
                    : ""));
    io.out()
        .println(
            "Its saved credentials in "
                + options.require("dir")
                + "/"
                + cluster.name()
                + " no longer work; delete the folder when you like.");
  }
}
