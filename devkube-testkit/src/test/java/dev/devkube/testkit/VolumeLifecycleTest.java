package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.Patch;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The volume controller as a real cluster runs it: provisioned volumes carry their CSI handle and
 * their class's reclaim policy, a claim can name a pre-provisioned volume, and a volume kept with
 * {@code Retain} keeps its files for the next claim that names it.
 */
class VolumeLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private FakeKubernetes cluster;
  private KubeClient kube;

  @BeforeEach
  void start() {
    cluster = FakeKubernetes.builder().storageClasses("do-block-storage").start();
    kube = KubeClient.connect(cluster.credentials());
  }

  @AfterEach
  void stop() {
    kube.close();
    cluster.close();
  }

  private KubeObject claim(String name, @Nullable String volumeName) {
    KubeObject claim =
        KubeObject.parseYaml(
                """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: %s, namespace: default}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: do-block-storage
          resources: {requests: {storage: 1Gi}}
        """
                    .formatted(name))
            .get(0);
    return volumeName == null ? claim : claim.set("spec.volumeName", volumeName);
  }

  private KubeObject bound(String claim) {
    return kube.resource(KubeObject.of("v1", "PersistentVolumeClaim", claim).namespace("default"))
        .waitUntil(Conditions.pvcBound(), WAIT);
  }

  private KubeObject volume(String name) {
    return kube.resource(KubeObject.of("v1", "PersistentVolume", name)).get().orElseThrow();
  }

  private void podOn(String pod, String claim) {
    kube.resource(
            KubeObject.parseYaml(
                    """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s, namespace: default}
        spec:
          containers:
          - {name: main, image: alpine:3.20, volumeMounts: [{name: data, mountPath: /data}]}
          volumes:
          - {name: data, persistentVolumeClaim: {claimName: %s}}
        """
                        .formatted(pod, claim))
                .get(0))
        .apply();
    kube.resource(KubeObject.of("v1", "Pod", pod).namespace("default"))
        .waitUntil(Conditions.podRunning(), WAIT);
  }

  @Test
  void aProvisionedVolumeHasItsDriversHandleAndGoesWithItsClaimUnlessRetained() {
    kube.resource(claim("scratch", null)).apply();
    String pvName = String.valueOf(bound("scratch").getString("spec.volumeName"));
    KubeObject pv = volume(pvName);
    assertThat(pv.getString("spec.csi.driver")).isEqualTo("dobs.csi.digitalocean.com");
    assertThat(pv.getString("spec.csi.volumeHandle")).isNotBlank();
    assertThat(pv.getString("spec.persistentVolumeReclaimPolicy")).isEqualTo("Delete");

    kube.resource(KubeObject.of("v1", "PersistentVolumeClaim", "scratch").namespace("default"))
        .delete();
    kube.resource(KubeObject.of("v1", "PersistentVolume", pvName))
        .waitUntil(Conditions.deleted(), WAIT);

    kube.resource(claim("kept", null)).apply();
    String keptName = String.valueOf(bound("kept").getString("spec.volumeName"));
    kube.resource(KubeObject.of("v1", "PersistentVolume", keptName))
        .patch(Patch.merge(Map.of("spec", Map.of("persistentVolumeReclaimPolicy", "Retain"))));
    kube.resource(KubeObject.of("v1", "PersistentVolumeClaim", "kept").namespace("default"))
        .delete();
    assertThat(
            kube.resource(KubeObject.of("v1", "PersistentVolume", keptName))
                .waitUntil(
                    dev.devkube.k8s.Condition.of(
                        "Released", o -> "Released".equals(o.getString("status.phase"))),
                    WAIT)
                .getString("status.phase"))
        .isEqualTo("Released");
  }

  @Test
  void aRetainedVolumesFilesComeBackThroughAPreProvisionedVolumeWithItsHandle() throws Exception {
    kube.resource(claim("first", null)).apply();
    String pvName = String.valueOf(bound("first").getString("spec.volumeName"));
    String handle = String.valueOf(volume(pvName).getString("spec.csi.volumeHandle"));
    podOn("writer", "first");
    assertThat(kube.pod("default", "writer").exec("sh", "-c", "echo kept > /data/file").succeeded())
        .isTrue();

    // A new volume object for the same cloud volume (as a new cluster would have), and a claim
    // that names it.
    kube.resource(
            KubeObject.parseYaml(
                    """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: adopted}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          storageClassName: do-block-storage
          csi:
            driver: dobs.csi.digitalocean.com
            fsType: ext4
            volumeHandle: %s
            volumeAttributes: {com.digitalocean.csi/noformat: "true"}
        """
                        .formatted(handle))
                .get(0))
        .apply();
    kube.resource(claim("again", "adopted")).apply();
    assertThat(bound("again").getString("spec.volumeName")).isEqualTo("adopted");
    assertThat(volume("adopted").getString("spec.claimRef.name")).isEqualTo("again");
    podOn("reader", "again");

    assertThat(kube.pod("default", "reader").exec("cat", "/data/file").stdout())
        .isEqualTo("kept\n");

    // A volume bound to one claim is not given to another that names it.
    kube.resource(claim("thief", "adopted")).apply();
    KubeObject thief = KubeObject.of("v1", "PersistentVolumeClaim", "thief").namespace("default");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (kube.events(thief).stream()
        .noneMatch(
            e ->
                "volume \"adopted\" already bound to a different claim."
                    .equals(e.getString("message")))) {
      assertThat(System.nanoTime() - deadline).as("the FailedBinding event").isNegative();
      Thread.sleep(20);
    }
    assertThat(
            kube.resource(
                    KubeObject.of("v1", "PersistentVolumeClaim", "thief").namespace("default"))
                .get()
                .orElseThrow()
                .getString("status.phase"))
        .isEqualTo("Pending");
  }
}
