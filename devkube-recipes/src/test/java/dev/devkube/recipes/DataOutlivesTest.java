package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ProgressListener;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.testkit.FakeKubernetes;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user's files outlive claims, namespaces and clusters unless the user asks otherwise. */
class DataOutlivesTest {
  private static final String KEY = Keys.ed25519("dev@laptop");
  private FakeKubernetes cluster;
  private KubeClient kube;

  @BeforeEach
  void start() {
    cluster =
        FakeKubernetes.builder()
            .storageClasses("do-block-storage")
            .podStartDelay(Duration.ofMillis(20))
            .user("dev", "dev-token", "team")
            .start();
    kube = KubeClient.connect(cluster.credentials());
  }

  @AfterEach
  void stop() {
    kube.close();
    cluster.close();
  }

  private DevEnvironment.Builder environment(String namespace) {
    return DevEnvironment.in(kube)
        .namespace(namespace)
        .sshKeys(KEY)
        .timeout(Duration.ofSeconds(20))
        .autoNodePorts();
  }

  private KubeObject volumeOf(String namespace, String claim) {
    KubeObject pvc =
        kube.resource(KubeObject.of("v1", "PersistentVolumeClaim", claim).namespace(namespace))
            .get()
            .orElseThrow();
    return kube.resource(
            KubeObject.of(
                "v1", "PersistentVolume", String.valueOf(pvc.getString("spec.volumeName"))))
        .get()
        .orElseThrow();
  }

  @Test
  void dataVolumesAreRetainedUntilTheUserAsksForTheDataToGo() {
    environment("one").postgres().deploy(ProgressListener.none());
    String share = String.valueOf(volumeOf("one", "nfs-pvc").name());
    String database = String.valueOf(volumeOf("one", "postgres-data").name());
    assertThat(volumeOf("one", "nfs-pvc").getString("spec.persistentVolumeReclaimPolicy"))
        .isEqualTo("Retain");
    assertThat(volumeOf("one", "postgres-data").getString("spec.persistentVolumeReclaimPolicy"))
        .isEqualTo("Retain");

    environment("one").postgres().teardown(false);

    for (String pv : new String[] {share, database}) {
      kube.resource(KubeObject.of("v1", "PersistentVolume", pv))
          .waitUntil(Conditions.deleted(), Duration.ofSeconds(20));
    }
  }

  @Test
  void aKeptVolumeIsServedAgainWithItsFilesInANewEnvironment() throws Exception {
    DevEnvironment first = environment("one").deploy(ProgressListener.none());
    assertThat(
            first.exec(Part.SSH, "sh", "-c", "echo 'still here' > /mnt/nfs/notes.txt").succeeded())
        .isTrue();
    KubeObject volume = volumeOf("one", "nfs-pvc");
    String handle = String.valueOf(volume.getString("spec.csi.volumeHandle"));
    // The namespace goes (as it would with its cluster); the volume is retained, Released.
    kube.resource(KubeObject.of("v1", "Namespace", "one")).delete();
    kube.resource(volume)
        .waitUntil(
            dev.devkube.k8s.Condition.of(
                "Released", o -> "Released".equals(o.getString("status.phase"))),
            Duration.ofSeconds(20));

    DevEnvironment second =
        environment("two")
            .nfs(NfsServer.onVolume(CsiVolume.digitalOceanBlockStorage(handle, "1Gi")))
            .deploy(ProgressListener.none());

    assertThat(second.exec(Part.SSH, "cat", "/mnt/nfs/notes.txt").stdout())
        .isEqualTo("still here\n");
    KubeObject adopted =
        kube.resource(KubeObject.of("v1", "PersistentVolume", "devkube-two-devkube-share"))
            .get()
            .orElseThrow();
    assertThat(adopted.getString("spec.persistentVolumeReclaimPolicy")).isEqualTo("Retain");
    assertThat(adopted.getString("spec.csi.volumeHandle")).isEqualTo(handle);
    assertThat(adopted.get("spec.csi.volumeAttributes"))
        .isEqualTo(Map.of("com.digitalocean.csi/noformat", "true"));
    assertThat(adopted.getString("spec.claimRef.namespace")).isEqualTo("two");
  }

  @Test
  void anExternalShareIsMountedDirectlyWithNoServerOfOurs() {
    DevEnvironment env =
        environment("ext")
            .externalShare(new NfsShare("10.110.0.5", "/123456/share-1"))
            .deploy(ProgressListener.none());

    assertThat(env.nfs()).isEqualTo(new NfsShare("10.110.0.5", "/123456/share-1"));
    KubeObject sshd =
        KubeObject.from(cluster.object("apps/v1", "Deployment", "ext", "sshd").orElseThrow());
    assertThat(sshd.getString("spec.template.spec.volumes[0].nfs.server")).isEqualTo("10.110.0.5");
    assertThat(sshd.getString("spec.template.spec.volumes[0].nfs.path"))
        .isEqualTo("/123456/share-1");
    assertThat(cluster.object("apps/v1", "Deployment", "ext", "nfs")).isEmpty();
    assertThat(cluster.objects("v1", "PersistentVolumeClaim", "ext")).isEmpty();
    assertThat(cluster.objects("networking.k8s.io/v1", "NetworkPolicy", "ext")).isEmpty();
    assertThat(env.status().isReady()).isTrue();
  }

  @Test
  void reAdoptingAVolumeNeedsTheRightToMakeItsPersistentVolumeAndSaysSoBeforeAnyWrite() {
    try (KubeClient limited = KubeClient.connect(cluster.credentials("dev"))) {
      assertThatThrownBy(
              () ->
                  DevEnvironment.in(limited)
                      .namespace("team")
                      .sshKeys(KEY)
                      .nfs(NfsServer.onVolume(CsiVolume.digitalOceanBlockStorage("vol-1", "5Gi")))
                      .deploy(ProgressListener.none()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("the user may not create persistentvolumes (cluster-wide)");
      assertThat(cluster.objects("v1", "PersistentVolumeClaim", "team")).isEmpty();
    }
  }
}
