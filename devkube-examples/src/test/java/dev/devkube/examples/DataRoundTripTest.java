package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.Cluster;
import dev.devkube.ClusterSpec;
import dev.devkube.FileShare;
import dev.devkube.FileShareSpec;
import dev.devkube.ProgressListener;
import dev.devkube.Volume;
import dev.devkube.VolumeSnapshot;
import dev.devkube.WaitTimeoutException;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.recipes.CsiVolume;
import dev.devkube.recipes.DevEnvironment;
import dev.devkube.recipes.NfsServer;
import dev.devkube.recipes.NfsShare;
import dev.devkube.recipes.Part;
import dev.devkube.testkit.FakeDigitalOcean;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The round trip the original article could not make: a file written into the share, the cluster
 * deleted with its data kept, a new cluster, and the file still there; for a kept volume and for a
 * managed file share, on FakeDigitalOcean through the DigitalOcean provider.
 */
class DataRoundTripTest {
  private static final Duration WAIT = Duration.ofMinutes(2);
  private FakeDigitalOcean fake;
  private DigitalOcean cloud;

  @BeforeEach
  void start() {
    fake = FakeDigitalOcean.builder().provisioningTime(Duration.ofMillis(300)).start();
    cloud =
        DigitalOcean.builder().token(FakeDigitalOcean.TOKEN).baseUrl(fake.url().toString()).build();
  }

  @AfterEach
  void stop() {
    cloud.close();
    fake.close();
  }

  private Cluster cluster(String name) {
    return cloud
        .clusters()
        .create(
            ClusterSpec.named(name)
                .region("nyc1")
                .latestVersion()
                .nodePool("pool", "s-2vcpu-4gb", 2))
        .awaitRunning(WAIT, ProgressListener.none());
  }

  private <T> T on(Cluster cluster, Function<KubeClient, T> work) {
    try (KubeClient kube = KubeClient.connect(cluster.credentials())) {
      return work.apply(kube);
    }
  }

  /**
   * Deploying {@code environment} in {@code cluster} times out, and the pod of {@code role} says
   * why in an event containing {@code reason}.
   */
  private void assertNeverStarts(
      Cluster cluster,
      Function<KubeClient, DevEnvironment.Builder> environment,
      String role,
      String reason) {
    on(
        cluster,
        kube -> {
          assertThatThrownBy(
                  () ->
                      environment
                          .apply(kube)
                          .timeout(Duration.ofSeconds(3))
                          .deploy(ProgressListener.none()))
              .isInstanceOf(WaitTimeoutException.class);
          KubeObject pod =
              kube.resources("v1", "Pod").withLabel("role", role).list().toList().get(0);
          assertThat(kube.events(pod))
              .extracting(e -> e.getString("message"))
              .anyMatch(m -> m != null && m.contains(reason));
          return null;
        });
  }

  private static DevEnvironment.Builder environment(KubeClient kube) {
    return DevEnvironment.in(kube)
        .sshKeys(Keys.ED25519)
        .timeout(Duration.ofSeconds(30))
        .nfs(NfsServer.create());
  }

  @Test
  void aKeptVolumeBringsItsFilesIntoTheNextCluster() {
    Cluster first = cluster("first");
    String volumeId =
        on(
            first,
            kube -> {
              DevEnvironment env = environment(kube).deploy(ProgressListener.none());
              assertThat(env.exec(Part.SSH, "sh", "-c", "echo kept > /mnt/nfs/notes").succeeded())
                  .isTrue();
              String pv =
                  kube.resource(KubeObject.of("v1", "PersistentVolumeClaim", "nfs-pvc"))
                      .get()
                      .orElseThrow()
                      .getString("spec.volumeName");
              return kube.resource(
                      KubeObject.of("v1", "PersistentVolume", Objects.requireNonNull(pv)))
                  .get()
                  .orElseThrow()
                  .getString("spec.csi.volumeHandle");
            });
    assertThat(cloud.volumes().get(Objects.requireNonNull(volumeId)).attached()).isTrue();
    assertThatThrownBy(() -> cloud.volumes().delete(volumeId))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("is attached");

    first.delete(); // the volumes stay unless asked
    Volume kept = cloud.volumes().get(volumeId);
    assertThat(kept.attached()).isFalse();
    VolumeSnapshot snapshot = cloud.volumes().snapshot(volumeId, "before-the-next-cluster");
    assertThat(cloud.volumes().snapshots(volumeId))
        .extracting(VolumeSnapshot::id)
        .contains(snapshot.id());
    assertThat(cloud.volumes().find(kept.name(), "nyc1"))
        .extracting(Volume::id)
        .containsExactly(volumeId);

    Cluster second = cluster("second");
    String read =
        on(
            second,
            kube ->
                environment(kube)
                    .nfs(
                        NfsServer.onVolume(
                            CsiVolume.digitalOceanBlockStorage(volumeId, kept.sizeGib() + "Gi")))
                    .deploy(ProgressListener.none())
                    .exec(Part.SSH, "cat", "/mnt/nfs/notes")
                    .stdout());
    assertThat(read).isEqualTo("kept\n");
    assertThat(cloud.volumes().get(volumeId).attached()).isTrue();

    // While the second cluster holds it, a third one cannot attach it: its NFS server never starts.
    Cluster third = cluster("third");
    assertNeverStarts(
        third,
        kube ->
            environment(kube)
                .nfs(
                    NfsServer.onVolume(
                        CsiVolume.digitalOceanBlockStorage(volumeId, kept.sizeGib() + "Gi"))),
        "nfs-server",
        "is attached to a droplet of another cluster");
  }

  @Test
  void aManagedShareServesEveryClusterInItsNetwork() {
    Cluster first = cluster("first");
    FileShare share =
        cloud
            .fileShares()
            .create(
                FileShareSpec.named("devkube-share")
                    .region("nyc1")
                    .vpc(Objects.requireNonNull(first.vpcId())));
    share = cloud.fileShares().awaitActive(share, WAIT, ProgressListener.none());
    NfsShare mount =
        new NfsShare(
            Objects.requireNonNull(share.host()), Objects.requireNonNull(share.mountPath()));
    on(
        first,
        kube ->
            environment(kube)
                .externalShare(mount)
                .deploy(ProgressListener.none())
                .exec(Part.SSH, "sh", "-c", "echo shared > /mnt/nfs/notes"));
    first.delete();

    Cluster second = cluster("second");
    String read =
        on(
            second,
            kube ->
                environment(kube)
                    .externalShare(mount)
                    .deploy(ProgressListener.none())
                    .exec(Part.SSH, "cat", "/mnt/nfs/notes")
                    .stdout());
    assertThat(read).isEqualTo("shared\n");
    assertThat(cloud.fileShares().find("devkube-share", "nyc1")).isPresent();

    // A cluster in another region (another VPC) does not reach the share.
    Cluster elsewhere =
        cloud
            .clusters()
            .create(
                ClusterSpec.named("elsewhere")
                    .region("sfo2")
                    .latestVersion()
                    .nodePool("pool", "s-2vcpu-4gb", 2))
            .awaitRunning(WAIT, ProgressListener.none());
    assertThat(elsewhere.vpcId()).isNotEqualTo(second.vpcId());
    assertNeverStarts(
        elsewhere,
        kube -> environment(kube).externalShare(mount),
        "sshd-server",
        "is not reachable from this cluster's VPC");
  }
}
