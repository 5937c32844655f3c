package dev.devkube.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The sample programs' options, in groups that each program mixes in ({@code @Mixin}): so an option
 * has one name, one default and one description wherever it appears. Each group checks its values
 * ({@code check()}) before a program does anything that cannot be undone.
 */
final class CliOptions {
  private CliOptions() {}

  /** What every program takes. */
  static final class Common {
    @Option(names = "--help", usageHelp = true, description = "show this text")
    boolean help;

    @Option(names = "--debug", description = "log each request and show stack traces")
    boolean debug;

    @Option(
        names = "--yes",
        description = "answer yes to every question (creating or deleting billed resources)")
    boolean yes;
  }

  /** Which cluster, and where its credentials are kept. */
  static final class Target {
    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "the cluster's name (default ${DEFAULT-VALUE})")
    String name = "devkube";

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "where credentials are kept, in DIR/NAME/ (default ${DEFAULT-VALUE})")
    Path dir = Path.of(".devkube");

    /** The folder of this cluster's saved credentials. */
    Path folder() {
      return dir.resolve(name);
    }
  }

  /** The DigitalOcean API; the token comes from the environment only. */
  static final class Cloud {
    @Option(
        names = "--api-url",
        paramLabel = "URL",
        description = "DigitalOcean API address (default https://api.digitalocean.com/)")
    @Nullable String apiUrl;
  }

  /** The cluster to create, and how long it may take. */
  static final class NewCluster {
    @Option(
        names = "--region",
        paramLabel = "SLUG",
        description = "region (default ${DEFAULT-VALUE})")
    String region = "sfo2";

    @Option(
        names = "--size",
        paramLabel = "SLUG",
        description = "node size (default ${DEFAULT-VALUE})")
    String size = "s-2vcpu-4gb";

    @Option(
        names = "--nodes",
        paramLabel = "N",
        description = "number of nodes, 1-512 (default ${DEFAULT-VALUE})")
    int nodes = 2;

    @Option(
        names = "--version",
        paramLabel = "SLUG",
        description = "Kubernetes version (default: the newest offered)")
    @Nullable String version;

    @Option(
        names = "--cluster-timeout",
        paramLabel = "TIME",
        converter = Minutes.class,
        description =
            "how long to wait for the cluster to run, e.g. 20m, 90s, 1h (default 20m; DigitalOcean"
                + " usually needs 5 to 10 minutes)")
    Duration clusterTimeout = Duration.ofMinutes(20);

    void check() {
      if (nodes < 1 || nodes > 512) {
        throw new Cli.UsageException("--nodes " + nodes + " is not a whole number in 1-512");
      }
      Minutes.check("--cluster-timeout", clusterTimeout);
    }
  }

  /** How to reach a cluster that exists: a kubeconfig and its context. */
  static final class Connect {
    @Option(
        names = "--kubeconfig",
        paramLabel = "FILE",
        description =
            "the kubeconfig to use (default DIR/NAME/kubeconfig when CreateCluster wrote it, else"
                + " KUBECONFIG or ~/.kube/config)")
    @Nullable Path kubeconfig;

    @Option(
        names = "--context",
        paramLabel = "NAME",
        description = "the kubeconfig's context to use (default its current-context)")
    @Nullable String context;
  }

  /** The environment: where, with which key and storage, reached how, and how long it may take. */
  static final class Environment {
    @Option(
        names = "--namespace",
        paramLabel = "NS",
        description = "namespace of the environment, created if missing (default ${DEFAULT-VALUE})")
    String namespace = "default";

    @Option(
        names = "--ssh-key",
        paramLabel = "FILE",
        description =
            "public key for ssh (default ~/.ssh/id_ed25519.pub, id_ecdsa.pub or id_rsa.pub)")
    @Nullable Path sshKey;

    @Option(
        names = "--storage-class",
        paramLabel = "SC",
        description =
            "storage class of the volumes (default ${DEFAULT-VALUE}; \"default\" for the cluster's"
                + " default class)")
    String storageClass = "do-block-storage";

    @Option(
        names = "--forward",
        description =
            "reach web and IDE through the API server (env.forward): the default; nothing but"
                + " sshd (key-only) listens on the nodes")
    boolean forward;

    @Option(
        names = "--ssh-only",
        description = "reach web and IDE only through ssh -L (nothing but sshd on the nodes)")
    boolean sshOnly;

    @Option(
        names = "--node-ports",
        description =
            "put web and IDE on node ports 30080 and 30030 of every node, over plain HTTP (anyone"
                + " who reaches the nodes can read the share)")
    boolean nodePorts;

    @Option(
        names = "--auto-node-ports",
        description = "when a node port devkube uses is taken, pick a free one instead of failing")
    boolean autoNodePorts;

    @Option(
        names = "--deploy-timeout",
        paramLabel = "TIME",
        converter = Minutes.class,
        description =
            "how long each part may take to start, e.g. 10m (default 10m; pulling images and"
                + " attaching volumes take minutes on a new cluster)")
    Duration deployTimeout = Duration.ofMinutes(10);

    /** The storage class for the builder: null for the cluster's default class. */
    @Nullable String storageClassOrDefault() {
      return "default".equals(storageClass) ? null : storageClass;
    }

    void check() {
      long ways = java.util.stream.Stream.of(sshOnly, forward, nodePorts).filter(b -> b).count();
      if (ways > 1) {
        throw new Cli.UsageException(
            "--ssh-only, --forward and --node-ports are ways to reach web and IDE: pick one");
      }
      if (sshKey != null && !java.nio.file.Files.isRegularFile(sshKey)) {
        throw new Cli.UsageException(
            "--ssh-key "
                + sshKey
                + " is not a file: give a public key such as ~/.ssh/id_ed25519.pub");
      }
      Minutes.check("--deploy-timeout", deployTimeout);
    }
  }

  /** Where the share's files live, when not on a new volume of a new NFS server. */
  static final class Share {
    @Option(
        names = "--share-volume",
        paramLabel = "ID",
        description =
            "serve a kept DigitalOcean volume (detached, same region) as the share, with its files,"
                + " instead of a new one")
    @Nullable String volume;

    @Option(
        names = "--share-size",
        paramLabel = "SIZE",
        description = "the size of the share's volume (default ${DEFAULT-VALUE})")
    String size = "1Gi";

    @Option(
        names = "--external-share",
        paramLabel = "HOST:/PATH",
        description =
            "mount an NFS share from outside (a managed file share's host and mount_path) instead"
                + " of running an NFS server")
    @Nullable String external;

    @Option(
        names = "--share",
        paramLabel = "managed",
        description =
            "a DigitalOcean managed NFS share, NAME-share in the cluster's region and VPC (adopted,"
                + " or created after asking: 50 GiB, billed until deleted); needs"
                + " DIGITALOCEAN_ACCESS_TOKEN")
    @Nullable String kind;

    void check() {
      if (volume != null && (external != null || kind != null)) {
        throw new Cli.UsageException(
            "--share-volume and --external-share are two places for the share: pick one");
      }
      if (kind != null && !"managed".equals(kind)) {
        throw new Cli.UsageException("--share " + kind + " is not known: the one kind is managed");
      }
      if (kind != null && external != null) {
        throw new Cli.UsageException(
            "--share managed and --external-share are two places for the share: pick one");
      }
      if (external != null && external.indexOf(":/") <= 0) {
        throw new Cli.UsageException(
            "--external-share \""
                + external
                + "\" is not HOST:/PATH, such as 10.110.0.5:/123456/share (a managed share's"
                + " host and mount_path)");
      }
      if (!size.matches("[1-9][0-9]*(Mi|Gi|Ti)")) {
        throw new Cli.UsageException(
            "--share-size " + size + " is not a size such as 1Gi, 500Mi or 2Ti");
      }
    }
  }

  /** The parts beyond NFS, ssh and web. */
  static final class Parts {
    @Option(names = "--ide", description = "add the browser IDE (code-server)")
    boolean ide;

    @Option(names = "--toolbox", description = "add the toolbox (git, rsync, curl, dig, ping)")
    boolean toolbox;

    @Option(names = "--postgres", description = "add Postgres (own volume, ClusterIP only)")
    boolean postgres;

    @Option(names = "--redis", description = "add Redis (own volume, ClusterIP only)")
    boolean redis;

    @Option(names = "--all", description = "add every part above")
    boolean all;

    @Option(
        names = "--classic",
        description = "the original scripts' images and node ports (web and IDE on the nodes)")
    boolean classic;
  }

  /**
   * A length of time: {@code 20m}, {@code 90s}, {@code 1h}, {@code 1h30m}, or a bare number of
   * minutes.
   */
  static final class Minutes implements ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)([hms])");
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofHours(24);

    @Override
    public Duration convert(String value) {
      String text = value.strip().toLowerCase(Locale.ROOT);
      if (text.matches("\\d{1,5}")) {
        return Duration.ofMinutes(Long.parseLong(text));
      }
      Matcher matcher = PART.matcher(text);
      Duration total = Duration.ZERO;
      int end = 0;
      while (matcher.find() && matcher.start() == end) {
        long amount = Long.parseLong(matcher.group(1));
        total =
            total.plus(
                switch (matcher.group(2)) {
                  case "h" -> Duration.ofHours(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  default -> Duration.ofSeconds(amount);
                });
        end = matcher.end();
      }
      if (end == 0 || end != text.length()) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not a time such as 20m, 90s, 1h or 1h30m (a bare number is minutes)");
      }
      return total;
    }

    static void check(String option, Duration value) {
      if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
        throw new Cli.UsageException(
            option
                + " "
                + dev.devkube.internal.Durations.format(value)
                + " is not between 1s and 24h");
      }
    }
  }
}
