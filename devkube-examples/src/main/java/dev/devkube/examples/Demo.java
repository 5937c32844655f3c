package dev.devkube.examples;

import dev.devkube.Cluster;
import dev.devkube.ClusterOptions;
import dev.devkube.ClusterSpec;
import dev.devkube.DevkubeException;
import dev.devkube.NodePoolSpec;
import dev.devkube.digitalocean.DigitalOcean;

/**
 * The README's main job. It grows into the end-to-end demo (cluster, credentials, NFS, ssh and
 * web, on the built-in fakes when no token is set) as the client, recipes and testkit land. Today:
 * with a DigitalOcean token it reads your account (options and clusters) without creating or
 * billing anything; without one it checks, offline, the cluster spec of the README's sample and
 * shows how bad values are refused before any request.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    boolean hasToken = DigitalOcean.TOKEN_VARIABLES.stream()
        .map(System::getenv).anyMatch(v -> v != null && !v.isBlank());
    try {
      if (hasToken) {
        readAccount();
      } else {
        offline();
      }
    } catch (DevkubeException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Reads options and clusters: nothing is created, changed or billed. */
  private static void readAccount() {
    System.out.println("devkube demo: a DigitalOcean token is set; this run only reads your"
        + " account (nothing is created or billed)");
    try (DigitalOcean cloud = DigitalOcean.fromEnvironment()) {
      ClusterOptions options = cloud.options();
      System.out.println("offered:       " + options.regions().size() + " regions, "
          + options.sizes().size() + " node sizes, newest version " + options.latestVersion().slug());
      ClusterSpec spec = options.resolve(sampleSpec());
      System.out.println("sample spec:   valid here; it would create " + spec.name() + " in "
          + spec.region() + " on " + spec.version());
      int count = 0;
      for (Cluster cluster : cloud.clusters().list()) {
        count++;
        System.out.println("cluster:       " + cluster.name() + " (" + cluster.region() + ", "
            + cluster.version() + ", " + cluster.status().slug() + ")");
      }
      System.out.println(count + " cluster(s) in this account");
    }
  }

  private static void offline() {
    System.out.println("devkube demo: no DigitalOcean token is set and the built-in fake cloud is"
        + " not built yet, so this is an offline walk-through of the cluster model");
    ClusterSpec spec = sampleSpec().validate();
    System.out.println("cluster spec:  " + spec.name() + " in " + spec.region() + ", version "
        + spec.version() + ", " + spec.nodeCount() + " nodes");
    for (NodePoolSpec pool : spec.nodePools()) {
      System.out.println("  node pool:   " + pool.name() + ", " + pool.count() + " x " + pool.size());
    }
    refused(() -> ClusterSpec.named("Dev_Kube"));
    refused(() -> ClusterSpec.named("devkube").region("sfo2").validate());
    refused(() -> spec.nodePool("devpool", "s-4vcpu-8gb", 1));
  }

  private static ClusterSpec sampleSpec() {
    return ClusterSpec.named("devkube").region("sfo2").latestVersion()
        .nodePool("devpool", "s-2vcpu-4gb", 2);
  }

  private static void refused(Runnable attempt) {
    try {
      attempt.run();
      throw new IllegalStateException("the spec was accepted but should have been refused");
    } catch (IllegalArgumentException e) {
      System.out.println("refused:       " + e.getMessage());
    }
  }
}
