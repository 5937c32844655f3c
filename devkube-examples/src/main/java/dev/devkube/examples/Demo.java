package dev.devkube.examples;

import dev.devkube.ClusterSpec;
import dev.devkube.NodePoolSpec;

/**
 * The README's main job. Today it checks, offline, the cluster spec that the README's sample sends
 * and shows how a bad value is refused before any request; it grows into the end-to-end demo
 * (cluster, credentials, NFS, ssh and web, on the built-in fakes when no token is set) as the
 * provider, client, recipes and testkit modules land.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    System.out.println("devkube demo: offline walk-through of the cluster model (no cloud provider"
        + " or fake cluster is built yet, so nothing is created and no token is read)");

    ClusterSpec spec = ClusterSpec.named("devkube").region("sfo2").latestVersion()
        .nodePool("devpool", "s-2vcpu-4gb", 2)
        .validate();
    System.out.println("cluster spec:  " + spec.name() + " in " + spec.region() + ", version "
        + spec.version() + ", " + spec.nodeCount() + " nodes");
    for (NodePoolSpec pool : spec.nodePools()) {
      System.out.println("  node pool:   " + pool.name() + ", " + pool.count() + " x " + pool.size());
    }

    refused(() -> ClusterSpec.named("Dev_Kube"));
    refused(() -> ClusterSpec.named("devkube").region("sfo2").validate());
    refused(() -> spec.nodePool("devpool", "s-4vcpu-8gb", 1));
  }

  private static void refused(Runnable attempt) {
    try {
      attempt.run();
      throw new AssertionError("the spec was accepted but should have been refused");
    } catch (IllegalArgumentException e) {
      System.out.println("refused:       " + e.getMessage());
    }
  }
}
