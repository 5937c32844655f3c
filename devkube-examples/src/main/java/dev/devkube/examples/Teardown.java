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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Removes the development environment (keeping its data unless told), or deletes the whole cluster;
 * asks before destroying data or volumes unless {@code --yes}.
 */
@Command(
    name = "Teardown",
    sortOptions = false,
    description = {
      "Removes the development environment and keeps its data (the share's and the databases'"
          + " claims, and the passwords the data needs); or deletes the cluster.",
      ""
    })
public final class Teardown implements Callable<Integer> {
  @Option(
      names = "--delete-data",
      description =
          "remove the data too (asks first); with --delete-cluster: destroy the cluster's volumes")
  boolean deleteData;

  @Option(
      names = "--delete-cluster",
      description =
          "delete the DigitalOcean cluster (asks first); its volumes stay (billed), and the"
              + " share's is recorded in DIR/NAME/share-volume to be served again")
  boolean deleteCluster;

  @Option(
      names = "--snapshot",
      description = "with --delete-cluster: snapshot the share's volume first")
  boolean snapshot;

  @Option(
      names = "--keep-volumes",
      description = "with --delete-cluster: keep the volumes (the default)")
  boolean keepVolumes;

  @Mixin CliOptions.Target target = new CliOptions.Target();
  @Mixin CliOptions.Connect connect = new CliOptions.Connect();

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "the environment's namespace (default ${DEFAULT-VALUE})")
  String namespace = "default";

  @Option(
      names = "--cluster-timeout",
      paramLabel = "TIME",
      converter = CliOptions.Minutes.class,
      description = "with --delete-cluster: how long to wait for the cluster to go (default 10m)")
  Duration clusterTimeout = Duration.ofMinutes(10);

  @Mixin CliOptions.Cloud cloud = new CliOptions.Cloud();
  @Mixin CliOptions.Common common = new CliOptions.Common();
  private final Cli.Io io;

  Teardown(Cli.Io io) {
    this.io = io;
  }

  public static void main(String[] args) {
    int code = run(args, Cli.Io.system());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Cli.Io io) {
    return Cli.execute(new Teardown(io), args, io);
  }

  @Override
  public Integer call() throws IOException {
    CliOptions.Minutes.check("--cluster-timeout", clusterTimeout);
    if (keepVolumes && deleteData) {
      throw new Cli.UsageException("--keep-volumes and --delete-data contradict: pick one");
    }
    if ((snapshot || keepVolumes) && !deleteCluster) {
      throw new Cli.UsageException(
          (snapshot ? "--snapshot" : "--keep-volumes") + " goes with --delete-cluster");
    }
    if (deleteCluster) {
      try (DigitalOcean digitalOcean = CreateCluster.connect(cloud, io)) {
        deleteCluster(digitalOcean, this, io);
      }
    } else {
      try (KubeClient kube = DeployDevEnvironment.connect(connect, target, io)) {
        removeEnvironment(kube);
      }
    }
    return 0;
  }

  /** The options that delete a cluster, as Demo gives them. */
  static Teardown deletingCluster(
      CliOptions.Target target, String namespace, CliOptions.Common common, Cli.Io io) {
    Teardown teardown = new Teardown(io);
    teardown.target = target;
    teardown.namespace = namespace;
    teardown.common = common;
    teardown.deleteCluster = true;
    return teardown;
  }

  /** Deletes what the environment's labels find; the data only when asked and confirmed. */
  private void removeEnvironment(KubeClient kube) {
    boolean keepData = !deleteData;
    if (!keepData) {
      Cli.confirm(
          common,
          io,
          "Delete the share's files and the databases' data in namespace "
              + namespace
              + "? This cannot be undone.",
          "Nothing was deleted");
    }
    int deleted = DevEnvironment.in(kube).namespace(namespace).teardown(keepData);
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
  static void deleteCluster(CloudProvider cloud, Teardown options, Cli.Io io) throws IOException {
    String name = options.target.name;
    Optional<Cluster> found = cloud.clusters().find(name);
    if (found.isEmpty()) {
      io.out().println("No cluster named " + name + ": nothing to delete.");
      return;
    }
    Cluster cluster = found.get();
    AssociatedResources resources = cluster.associatedResources();
    boolean destroy = options.deleteData;
    String share = shareVolume(cluster, options.namespace);
    String question =
        resources.volumes().isEmpty()
            ? "Delete cluster " + cluster.name() + " (" + cluster.id() + ")? It has no volumes."
            : "Delete cluster "
                + cluster.name()
                + " ("
                + cluster.id()
                + ") and "
                + (destroy ? "destroy" : "keep")
                + " its "
                + resources.volumes().size()
                + " volume(s) "
                + resources.volumes().stream().map(AssociatedResources.Resource::name).toList()
                + (destroy ? ", the share's files and the databases' data with them" : "")
                + "?";
    Cli.confirm(options.common, io, question, "Nothing was deleted");
    if (share != null && options.snapshot) {
      VolumeSnapshot snapshot =
          cloud.volumes().snapshot(share, cluster.name() + "-share-" + System.currentTimeMillis());
      io.out().println("Snapshot " + snapshot.name() + " (" + snapshot.id() + ") of the share");
    }
    if (destroy) {
      cluster.delete(DeleteOption.DESTROY_VOLUMES);
    } else {
      cluster.delete();
    }
    cluster.awaitDeleted(options.clusterTimeout);
    io.out().println("Deleted cluster " + cluster.name());
    Path folder = options.target.folder();
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
  static @Nullable String shareVolume(Cluster cluster, String namespace) {
    try (KubeClient kube = KubeClient.connect(cluster.credentials())) {
      KubeObject claim =
          kube.resource(
                  KubeObject.of("v1", "PersistentVolumeClaim", "nfs-pvc").namespace(namespace))
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
