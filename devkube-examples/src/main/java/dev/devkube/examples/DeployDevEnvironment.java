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
import dev.devkube.recipes.NfsServer;
import dev.devkube.recipes.NfsShare;
import dev.devkube.recipes.Postgres;
import dev.devkube.recipes.Redis;
import dev.devkube.recipes.VerifyReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Connects to a cluster and deploys the development environment into it: the NFS share, then the
 * ssh and web servers wired to its address, and the IDE, toolbox, Postgres and Redis when asked;
 * then prints how to reach each of them.
 */
public final class DeployDevEnvironment {

  private DeployDevEnvironment() {}

  public static void main(String[] args) {
    int code = run(args, Cli.Io.system());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Cli.Io io) {
    return Cli.run(
        Cli.usage("DeployDevEnvironment"),
        args,
        defaults(),
        switches(),
        io,
        (options, unused) -> {
          long ways =
              java.util.stream.Stream.of("ssh-only", "forward", "node-ports")
                  .filter(options::has)
                  .count();
          if (ways > 1) {
            throw new Cli.UsageException(
                "--ssh-only, --forward and --node-ports are ways to reach web and IDE: pick one");
          }
          Cli.Options chosen = options;
          if (options.get("share") != null) {
            if (!"managed".equals(options.get("share"))) {
              throw new Cli.UsageException(
                  "--share " + options.get("share") + " is not known: the one kind is managed");
            }
            chosen = options.with("external-share", managedShare(options, io));
          }
          try (KubeClient kube = connect(chosen, io)) {
            DevEnvironment env = deploy(kube, chosen, io, null);
            printAccess(env, io, "");
            if (options.has("verify")) {
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
        });
  }

  static Map<String, @Nullable String> defaults() {
    Map<String, @Nullable String> defaults = new LinkedHashMap<>();
    defaults.put("kubeconfig", null);
    defaults.put("name", "devkube");
    defaults.put("dir", ".devkube");
    defaults.put("namespace", "default");
    defaults.put("ssh-key", null);
    defaults.put("storage-class", "do-block-storage");
    defaults.put("share-volume", null);
    defaults.put("share-size", "1Gi");
    defaults.put("external-share", null);
    defaults.put("share", null);
    defaults.put("api-url", null);
    defaults.put("timeout", "5");
    return defaults;
  }

  static Set<String> switches() {
    return Set.of(
        "ide",
        "toolbox",
        "postgres",
        "redis",
        "all",
        "ssh-only",
        "forward",
        "node-ports",
        "classic",
        "verify");
  }

  /** --kubeconfig, else what CreateCluster saved, else the usual kubeconfig. */
  static KubeClient connect(Cli.Options options, Cli.Io io) {
    Path saved = Path.of(options.require("dir"), options.require("name"), "kubeconfig");
    Path kubeconfig =
        options.get("kubeconfig") != null
            ? Path.of(options.require("kubeconfig"))
            : Files.isRegularFile(saved) ? saved : null;
    io.out()
        .println(
            "Connecting with "
                + (kubeconfig != null ? kubeconfig : "KUBECONFIG or ~/.kube/config"));
    return kubeconfig != null
        ? KubeClient.fromKubeconfig(kubeconfig, null)
        : KubeClient.fromKubeconfig();
  }

  /**
   * Declares the environment from the options and deploys it, with progress; {@code publicKeys}
   * instead of the key file when given.
   */
  static DevEnvironment deploy(
      KubeClient kube, Cli.Options options, Cli.Io io, @Nullable String publicKeys) {
    String storageClass =
        "default".equals(options.get("storage-class")) ? null : options.require("storage-class");
    DevEnvironment.Builder builder =
        DevEnvironment.in(kube).namespace(options.require("namespace"));
    if (publicKeys != null) {
      builder.sshKeys(publicKeys);
    } else {
      builder.sshKey(Cli.sshKey(options)); // checked now: a missing or private key fails here
    }
    builder
        .nfs(NfsServer.create().storageClass(storageClass))
        .timeout(Duration.ofMinutes(options.number("timeout", 1, 120)));
    String volume = options.get("share-volume");
    String external = options.get("external-share");
    if (volume != null && external != null) {
      throw new Cli.UsageException(
          "--share-volume and --external-share are two places for the share: pick one");
    }
    String size = options.require("share-size");
    Path recorded = Path.of(options.require("dir"), options.require("name"), Teardown.SHARE_VOLUME);
    if (volume == null && external == null && Files.isRegularFile(recorded)) {
      // Teardown --delete-cluster kept the share's volume of an earlier cluster of this name.
      String[] kept = readRecorded(recorded);
      if (kept.length == 2
          && ask(
              options,
              io,
              "Serve the share's volume "
                  + kept[0]
                  + " ("
                  + kept[1]
                  + "), kept from the earlier cluster "
                  + options.require("name")
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
    if (external != null) {
      int colon = external.indexOf(":/");
      if (colon <= 0) {
        throw new Cli.UsageException(
            "--external-share \""
                + external
                + "\" is not HOST:/PATH, such as 10.110.0.5:/123456/share (a managed share's"
                + " host and mount_path)");
      }
      builder.externalShare(
          new NfsShare(external.substring(0, colon), external.substring(colon + 1)));
    }
    if (options.has("classic")) {
      builder.classic();
    }
    boolean all = options.has("all");
    if (all || options.has("ide")) {
      builder.ide();
    }
    if (all || options.has("toolbox")) {
      builder.toolbox();
    }
    if (all || options.has("postgres")) {
      builder.postgres(Postgres.create().storageClass(storageClass));
    }
    if (all || options.has("redis")) {
      builder.redis(Redis.create().storageClass(storageClass));
    }
    if (options.has("ssh-only")) {
      builder.sshOnly();
    }
    if (options.has("forward")) {
      builder.forwardOnly();
    }
    if (options.has("node-ports")) {
      builder.nodePorts();
    }
    DevEnvironment env = builder.deploy(Cli.progress(io));
    Cli.endProgress(io);
    return env;
  }

  /**
   * A DigitalOcean managed NFS share for the cluster: {@code <name>-share} in its region, adopted
   * if it exists, else created (50 GiB, the smallest, billed until deleted; asked first) in the
   * cluster's VPC; waits until it serves. Returns {@code host:/path}.
   */
  static String managedShare(Cli.Options options, Cli.Io io) throws Exception {
    try (DigitalOcean cloud = CreateCluster.connect(options, io)) {
      String name = options.require("name");
      Cluster cluster =
          cloud
              .clusters()
              .find(name)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no cluster named " + name + ": run CreateCluster first"));
      String shareName = name + "-share";
      FileShare share = cloud.fileShares().find(shareName, cluster.region()).orElse(null);
      if (share == null) {
        String vpc = cluster.vpcId();
        if (vpc == null) {
          throw new IllegalStateException(
              "cluster " + name + " reports no VPC: a managed share is reached from a VPC only");
        }
        Cli.confirm(
            options,
            io,
            "Create the managed NFS share "
                + shareName
                + " (50 GiB, billed until deleted) in "
                + cluster.region()
                + "?",
            "Nothing was created");
        share =
            cloud
                .fileShares()
                .create(FileShareSpec.named(shareName).region(cluster.region()).vpc(vpc));
        io.out().println("share:         created " + shareName + " (" + share.id() + ")");
      } else {
        io.out().println("share:         adopting " + shareName + " (" + share.id() + ")");
      }
      share =
          cloud
              .fileShares()
              .awaitActive(
                  share, Duration.ofMinutes(options.number("timeout", 1, 120)), Cli.progress(io));
      Cli.endProgress(io);
      return share.host() + ":" + share.mountPath();
    }
  }

  private static String[] readRecorded(Path file) {
    try {
      return Files.readString(file).strip().split("\\s+", -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean ask(Cli.Options options, Cli.Io io, String question) {
    try {
      return Cli.ask(options, io, question);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
                    ? " while env.forward(Part.WEB, 8080) runs (jshell: forward(\"web\"))"
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
                      ? " while env.forward(Part.IDE, 3000) runs (jshell: forward(\"ide\", 3000))"
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
