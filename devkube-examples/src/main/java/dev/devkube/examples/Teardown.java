package dev.devkube.examples;

import dev.devkube.AssociatedResources;
import dev.devkube.CloudProvider;
import dev.devkube.Cluster;
import dev.devkube.DeleteOption;
import dev.devkube.DevkubeException;
import dev.devkube.Volume;
import dev.devkube.VolumeSnapshot;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.recipes.DevEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Set.of("delete-data", "delete-cluster", "keep-volumes", "snapshot"),
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

  /**
   * Deletes the cluster. Its volumes stay (the share's files among them) unless {@code
   * --delete-data}; the share's volume is recorded in DIR/NAME/share-volume with how to serve it
   * again, after a snapshot with {@code --snapshot}.
   */
  static void deleteCluster(CloudProvider cloud, Cli.Options options, Cli.Io io) throws Exception {
    Optional<Cluster> found = cloud.clusters().find(options.require("name"));
    if (found.isEmpty()) {
      io.out().println("No cluster named " + options.require("name") + ": nothing to delete.");
      return;
    }
    Cluster cluster = found.get();
    AssociatedResources resources = cluster.associatedResources();
    boolean destroy = options.has("delete-data");
    String share = shareVolume(cluster, options);
    String volumes =
        resources.volumes().isEmpty()
            ? "it has no volumes"
            : (destroy ? "destroy" : "keep")
                + " its "
                + resources.volumes().size()
                + " volume(s) "
                + resources.volumes().stream().map(AssociatedResources.Resource::name).toList()
                + (destroy ? ", the share's files and the databases' data with them" : "");
    Cli.confirm(
        options,
        io,
        "Delete cluster " + cluster.name() + " (" + cluster.id() + ") and " + volumes + "?",
        "Nothing was deleted");
    if (share != null && options.has("snapshot")) {
      VolumeSnapshot snapshot =
          cloud.volumes().snapshot(share, cluster.name() + "-share-" + System.currentTimeMillis());
      io.out().println("Snapshot " + snapshot.name() + " (" + snapshot.id() + ") of the share");
    }
    if (destroy) {
      cluster.delete(DeleteOption.DESTROY_VOLUMES);
    } else {
      cluster.delete();
    }
    cluster.awaitDeleted(Duration.ofMinutes(options.number("timeout", 1, 120)));
    io.out().println("Deleted cluster " + cluster.name());
    Path folder = Path.of(options.require("dir"), cluster.name());
    if (!destroy && !resources.volumes().isEmpty()) {
      io.out().println("Its volumes remain, and are billed, until you delete them.");
    }
    if (!destroy && share != null) {
      Volume volume = cloud.volumes().get(share);
      Files.createDirectories(folder);
      Files.writeString(
          folder.resolve(SHARE_VOLUME), volume.id() + " " + volume.sizeGib() + "Gi\n");
      io.out()
          .println(
              "Kept the share's volume "
                  + volume.id()
                  + " ("
                  + volume.region()
                  + ", "
                  + volume.sizeGib()
                  + " GiB), recorded in "
                  + folder.resolve(SHARE_VOLUME)
                  + ": the next DeployDevEnvironment of "
                  + cluster.name()
                  + " offers to serve it again (or: --share-volume "
                  + volume.id()
                  + " --share-size "
                  + volume.sizeGib()
                  + "Gi, in a cluster of "
                  + volume.region()
                  + ").");
    }
    io.out()
        .println(
            "Its saved credentials in "
                + folder
                + " no longer work; CreateCluster writes new ones there.");
  }

  /** Where the share's kept volume is recorded: its id and size. */
  static final String SHARE_VOLUME = "share-volume";

  /** The id of the volume that holds the share's files, read from the cluster; null if unknown. */
  static @Nullable String shareVolume(Cluster cluster, Cli.Options options) {
    try (KubeClient kube = KubeClient.connect(cluster.credentials())) {
      KubeObject claim =
          kube.resource(
                  KubeObject.of("v1", "PersistentVolumeClaim", "nfs-pvc")
                      .namespace(options.require("namespace")))
              .get()
              .orElse(null);
      String pv = claim == null ? null : claim.getString("spec.volumeName");
      if (pv == null) {
        return null;
      }
      return kube.resource(KubeObject.of("v1", "PersistentVolume", pv))
          .get()
          .map(v -> v.getString("spec.csi.volumeHandle"))
          .orElse(null);
    } catch (DevkubeException e) {
      return null; // an unreachable cluster: its volumes are still listed above
    }
  }
}
