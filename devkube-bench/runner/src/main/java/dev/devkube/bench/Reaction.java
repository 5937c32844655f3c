package dev.devkube.bench;

import dev.devkube.k8s.KubeObject;
import dev.devkube.testkit.FakeKubernetes;
import java.util.concurrent.locks.LockSupport;

/** Polls the fake's store (no HTTP) for the NFS Deployment available and sshd created. */
final class Reaction implements Runnable {
  private final FakeKubernetes cluster;
  private final Thread thread = new Thread(this, "bench-reaction");
  private volatile boolean stop;
  private long nfsReady;
  private long sshdApplied;

  Reaction(FakeKubernetes cluster) {
    this.cluster = cluster;
  }

  void start() {
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void run() {
    while (!stop && (nfsReady == 0 || sshdApplied == 0)) {
      long now = System.nanoTime();
      if (nfsReady == 0
          && cluster
              .object("apps/v1", "Deployment", "default", "nfs")
              .map(d -> KubeObject.from(d).getLong("status.availableReplicas"))
              .filter(r -> r >= 1)
              .isPresent()) {
        nfsReady = now;
      }
      if (nfsReady != 0
          && sshdApplied == 0
          && cluster.object("apps/v1", "Deployment", "default", "sshd").isPresent()) {
        sshdApplied = now;
      }
      LockSupport.parkNanos(100_000);
    }
  }

  void stop() throws InterruptedException {
    stop = true;
    thread.join();
  }

  double millis() {
    return (sshdApplied - nfsReady) / 1e6;
  }
}
