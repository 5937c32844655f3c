package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.Cluster;
import dev.devkube.ClusterCredentials;
import dev.devkube.ClusterSpec;
import dev.devkube.ClusterStatus;
import dev.devkube.DeleteOption;
import dev.devkube.Progress;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** devkube's DigitalOcean provider and KubeClient driven through the fakes, end to end. */
class DigitalOceanOnFakeTest {
  @Test
  void createWaitConnectProvisionAVolumeAndDeleteIt() {
    try (FakeDigitalOcean fake =
            FakeDigitalOcean.builder().provisioningTime(Duration.ofMillis(300)).start();
        DigitalOcean cloud =
            DigitalOcean.builder()
                .token(FakeDigitalOcean.TOKEN)
                .baseUrl(fake.url().toString())
                .build()) {
      List<Progress> progress = new ArrayList<>();
      Cluster cluster =
          cloud
              .clusters()
              .createOrGet(
                  ClusterSpec.named("devkube")
                      .region("sfo2")
                      .latestVersion()
                      .nodePool("devpool", "s-2vcpu-4gb", 2))
              .awaitRunning(Duration.ofSeconds(30), progress::add);

      assertThat(cluster.status()).isEqualTo(ClusterStatus.RUNNING);
      assertThat(cluster.version()).isEqualTo("1.33.1-do.0");
      assertThat(
              cloud
                  .clusters()
                  .createOrGet(
                      ClusterSpec.named("devkube")
                          .region("sfo2")
                          .nodePool("devpool", "s-2vcpu-4gb", 2))
                  .id())
          .isEqualTo(cluster.id());
      ClusterCredentials credentials = cluster.credentials();
      assertThat(credentials.token()).startsWith("doks-");

      try (KubeClient kube = KubeClient.connect(cluster)) {
        assertThat(kube.resources("v1", "Node").names()).hasSize(2);
        KubeObject claim =
            KubeObject.parseYaml(
                    """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: do-block-storage
              resources: {requests: {storage: 1Gi}}
            """)
                .get(0);
        kube.resource(claim).apply();
        kube.resource(claim).waitUntil(Conditions.pvcBound(), Duration.ofSeconds(10));
      }
      assertThat(cluster.associatedResources().volumes()).hasSize(1);

      cluster.delete(DeleteOption.DESTROY_VOLUMES);
      cluster.awaitDeleted(Duration.ofSeconds(10));
      assertThat(fake.volumes()).isEmpty();
      assertThat(cloud.clusters().list().toList()).isEmpty();
    }
  }
}
