package dev.devkube.examples;

import dev.devkube.Cluster;
import dev.devkube.FileShare;
import dev.devkube.FileShareSpec;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.recipes.CsiVolume;
import dev.devkube.recipes.DevEnvironment;
import dev.devkube.recipes.Exposure;
import dev.devkube.recipes.IdeAccess;
import dev.devkube.recipes.IdeServer;
import dev.devkube.recipes.NfsServer;
import dev.devkube.recipes.NfsShare;
import dev.devkube.recipes.Postgres;
import dev.devkube.recipes.Redis;
import dev.devkube.recipes.VerifyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Connects to a cluster and deploys the development environment into it: the NFS share, then the
 * ssh and web servers wired to its address, and the IDE, toolbox, Postgres and Redis when asked;
 * then prints how to reach each of them.
 */
@Command(
    name = "DeployDevEnvironment",
    sortOptions = false,
    description = {
      "Deploys the development environment into a cluster: from --kubeconfig, else DIR/NAME/"
          + "kubeconfig (written by CreateCluster), else KUBECONFIG or ~/.kube/config.",
      ""
    })
public final class DeployDevEnvironment implements Callable<Integer> {
  @Mixin CliOptions.Connect connect = new CliOptions.Connect();
  @Mixin CliOptions.Target target = new CliOptions.Target();
  @Mixin CliOptions.Environment environment = new CliOptions.Environment();
  @Mixin CliOptions.Parts parts = new CliOptions.Parts();
  @Mixin CliOptions.Share share = new CliOptions.Share();

  @Option(
      names = "--verify",
      description =
          "then check it end to end (pods, share, web, IDE password, Redis, Postgres, ssh port)"
              + " through the API server; exit 1 if a check fails")
  boolean verify;

  @Mixin CliOptions.Cloud cloud = new CliOptions.Cloud();
  @Mixin CliOptions.Common common = new CliOptions.Common();
  private final Cli.Io io;

  DeployDevEnvironment(Cli.Io io) {
    this.io = io;
  }

  public static void main(String[] args) {
    int code = run(args, Cli.Io.system());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Cli.Io io) {
    return Cli.execute(new DeployDevEnvironment(io), args, io);
  }

  @Override
  public Integer call() throws Exception {
    environment.check();
    share.check();
    Cli.sshKey(environment); // a missing key fails here, before anything is sent
    if (share.kind != null) {
      share.external = managedShare(target, environment, cloud, common, io);
    }
    try (KubeClient kube = connect(connect, target, io)) {
      DevEnvironment env = deploy(kube, null);
      printAccess(env, io, "");
      if (verify) {
        VerifyReport report = env.verify();
        io.out().print("verify():\n" + report.toString().indent(2));
        if (!report.passed()) {
          throw new IllegalStateException(
              "the environment is deployed but "
                  + report.failures().size()
                  + " check(s) failed (see above)");
        }
      }
    }
    return 0;
  }

  /** --kubeconfig, else what CreateCluster saved, else the usual kubeconfig; --context in it. */
  static KubeClient connect(CliOptions.Connect connect, CliOptions.Target target, Cli.Io io) {
    Path saved = target.folder().resolve("kubeconfig");
    Path kubeconfig =
        connect.kubeconfig != null ? connect.kubeconfig : Files.isRegularFile(saved) ? saved : null;
    io.out()
        .println(
            "Connecting with "
                + (kubeconfig != null ? kubeconfig : "KUBECONFIG or ~/.kube/config")
                + (connect.context != null ? ", context " + connect.context : ""));
    return kubeconfig != null
        ? KubeClient.fromKubeconfig(kubeconfig, connect.context)
        : KubeClient.fromKubeconfig(connect.context);
  }

  /**
   * Declares the environment from the options and deploys it, with progress; {@code publicKeys}
   * instead of the key file when given.
   */
  DevEnvironment deploy(KubeClient kube, @Nullable String publicKeys) {
    return deploy(kube, target, environment, parts, share, common, io, publicKeys);
  }

  /** The same, for a program that holds these options itself (Demo). */
  static DevEnvironment deploy(
      KubeClient kube,
      CliOptions.Target target,
      CliOptions.Environment environment,
      CliOptions.Parts parts,
      CliOptions.Share share,
      CliOptions.Common common,
      Cli.Io io,
      @Nullable String publicKeys) {
    String storageClass = environment.storageClassOrDefault();
    DevEnvironment.Builder builder = DevEnvironment.in(kube).namespace(environment.namespace);
    if (publicKeys != null) {
      builder.sshKeys(publicKeys);
    } else {
      builder.sshKey(Cli.sshKey(environment)); // checked now: a missing or private key fails here
    }
    builder.nfs(NfsServer.create().storageClass(storageClass)).timeout(environment.deployTimeout);
    String volume = share.volume;
    String size = share.size;
    Path recorded = target.folder().resolve(Teardown.SHARE_VOLUME);
    if (volume == null && share.external == null && Files.isRegularFile(recorded)) {
      // Teardown --delete-cluster kept the share's volume of an earlier cluster of this name.
      String[] kept = readRecorded(recorded);
      if (kept.length == 2
          && Cli.ask(
              common,
              io,
              "Serve the share's volume "
                  + kept[0]
                  + " ("
                  + kept[1]
                  + "), kept from the earlier cluster "
                  + target.name
                  + ", with its files?")) {
        volume = kept[0];
        size = kept[1];
        io.out()
            .println(
                "share:         the kept volume " + volume + " (" + size + "), with its files");
      }
    }
    if (volume != null) {
      // A kept DigitalOcean volume, served again with its files (detached, in this region).
      builder.nfs(NfsServer.onVolume(CsiVolume.digitalOceanBlockStorage(volume, size)));
    }
    String external = share.external;
    if (external != null) {
      int colon = external.indexOf(":/");
      builder.externalShare(
          new NfsShare(external.substring(0, colon), external.substring(colon + 1)));
    }
    if (parts.classic) {
      builder.classic();
    }
    if (parts.all || parts.ide) {
      builder.ide();
    }
    if (parts.all || parts.toolbox) {
      builder.toolbox();
    }
    if (parts.all || parts.postgres) {
      builder.postgres(Postgres.create().storageClass(storageClass));
    }
    if (parts.all || parts.redis) {
      builder.redis(Redis.create().storageClass(storageClass));
    }
    if (environment.sshOnly) {
      builder.sshOnly();
    }
    if (environment.forward) {
      builder.forwardOnly();
    }
    if (environment.nodePorts) {
      builder.nodePorts();
    }
    if (environment.autoNodePorts) {
      builder.autoNodePorts();
    }
    try (ProgressDisplay progress = Cli.progress(io)) {
      return builder.deploy(progress);
    }
  }

  /**
   * A DigitalOcean managed NFS share for the cluster: {@code <name>-share} in its region, adopted
   * if it exists, else created (50 GiB, the smallest, billed until deleted; asked first) in the
   * cluster's VPC; waits until it serves. Returns {@code host:/path}.
   */
  static String managedShare(
      CliOptions.Target target,
      CliOptions.Environment environment,
      CliOptions.Cloud cloud,
      CliOptions.Common common,
      Cli.Io io) {
    try (DigitalOcean digitalOcean = CreateCluster.connect(cloud, io)) {
      String name = target.name;
      Cluster cluster =
          digitalOcean
              .clusters()
              .find(name)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no cluster named " + name + ": run CreateCluster first"));
      String shareName = name + "-share";
      FileShare found = digitalOcean.fileShares().find(shareName, cluster.region()).orElse(null);
      if (found == null) {
        String vpc = cluster.vpcId();
        if (vpc == null) {
          throw new IllegalStateException(
              "cluster " + name + " reports no VPC: a managed share is reached from a VPC only");
        }
        Cli.confirm(
            common,
            io,
            "Create the managed NFS share "
                + shareName
                + " (50 GiB, billed until deleted) in "
                + cluster.region()
                + "?",
            "Nothing was created");
        found =
            digitalOcean
                .fileShares()
                .create(FileShareSpec.named(shareName).region(cluster.region()).vpc(vpc));
        io.out().println("share:         created " + shareName + " (" + found.id() + ")");
      } else {
        io.out().println("share:         adopting " + shareName + " (" + found.id() + ")");
      }
      try (ProgressDisplay progress = Cli.progress(io)) {
        found = digitalOcean.fileShares().awaitActive(found, environment.deployTimeout, progress);
      }
      return found.host() + ":" + found.mountPath();
    }
  }

  private static String[] readRecorded(Path file) {
    try {
      return Files.readString(file).strip().split("\\s+", -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int ideContainerPort(DevEnvironment env) {
    IdeServer ide = env.spec().ide();
    return ide == null ? 8080 : ide.containerPort();
  }

  /** The access points; passwords are never printed, only where to read them. */
  static void printAccess(DevEnvironment env, Cli.Io io, String note) {
    io.out()
        .println(
            "nfs share:     "
                + env.nfs().server()
                + ":"
                + env.nfs().path()
                + " (the NFS Service's cluster IP, mounted by sshd, nginx and the rest)");
    io.out().println("ssh:           " + env.sshCommand() + note);
    env.sshHostKeys()
        .ifPresent(
            keys -> {
              io.out()
                  .println("ssh host key:  " + keys.fingerprint() + " (check it on first login)");
              keys.knownHosts().forEach(line -> io.out().println("known_hosts:   " + line));
            });
    io.out()
        .println(
            "web:           "
                + env.webUrl()
                + (env.exposure() == Exposure.FORWARD
                    ? " while `kubectl -n "
                        + env.namespace()
                        + " port-forward service/web-service 8080:80` runs (Java:"
                        + " env.forward(Part.WEB, 8080); jshell: forward(\"web\", 8080))"
                    : "")
                + note);
    env.tunnelCommand().ifPresent(tunnel -> io.out().println("tunnel:        " + tunnel + note));
    if (env.ide().isPresent()) {
      IdeAccess ide = env.ide().get();
      io.out()
          .println(
              "ide:           "
                  + ide.url()
                  + (env.exposure() == Exposure.FORWARD
                      ? " while `kubectl -n "
                          + env.namespace()
                          + " port-forward service/ide-service 3000:"
                          + ideContainerPort(env)
                          + "` runs (Java: env.forward(Part.IDE, 3000); jshell: forward(\"ide\","
                          + " 3000))"
                      : "")
                  + note);
      ide.passwordCommand().ifPresent(command -> io.out().println("ide password:  " + command));
    }
    env.toolbox()
        .ifPresent(toolbox -> io.out().println("toolbox:       " + toolbox.sshCommand() + note));
    env.postgres()
        .ifPresent(
            db ->
                io.out()
                    .println(
                        "postgres:      "
                            + db.connectionString()
                            + " (password in Secret "
                            + db.secretName()
                            + ", in-cluster only)"));
    env.redis()
        .ifPresent(
            cache ->
                io.out()
                    .println(
                        "redis:         "
                            + cache.connectionString()
                            + " (password in Secret "
                            + cache.secretName()
                            + ", in-cluster only)"));
    env.warnings().forEach(warning -> io.out().println("warning:       " + warning));
  }
}
