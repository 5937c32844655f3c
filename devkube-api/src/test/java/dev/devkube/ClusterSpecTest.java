package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterSpecTest {
  @Test
  void fluentSampleBuildsTheSpec() {
    ClusterSpec spec =
        ClusterSpec.named("devkube")
            .region("sfo2")
            .latestVersion()
            .nodePool("devpool", "s-2vcpu-4gb", 2)
            .tags("dev", "k8s:team-a")
            .autoUpgrade(true)
            .surgeUpgrade(true)
            .highAvailability(true)
            .vpc("c33931f2-a26a-4e61-b85c-4e95a2ec431b")
            .maintenanceWindow(MaintenanceWindow.on(DayOfWeek.MONDAY, LocalTime.of(3, 0)));

    assertThat(spec.validate()).isSameAs(spec);
    assertThat(spec.name()).isEqualTo("devkube");
    assertThat(spec.region()).isEqualTo("sfo2");
    assertThat(spec.isLatestVersion()).isTrue();
    assertThat(spec.nodePools()).containsExactly(NodePoolSpec.of("devpool", "s-2vcpu-4gb", 2));
    assertThat(spec.nodeCount()).isEqualTo(2);
    assertThat(spec.tags()).containsExactly("dev", "k8s:team-a");
    assertThat(spec.autoUpgrade()).isTrue();
    assertThat(spec.surgeUpgrade()).isTrue();
    assertThat(spec.highAvailability()).isTrue();
    assertThat(spec.vpc()).isEqualTo("c33931f2-a26a-4e61-b85c-4e95a2ec431b");
    assertThat(spec.maintenanceWindow())
        .isEqualTo(new MaintenanceWindow(DayOfWeek.MONDAY, LocalTime.of(3, 0)));
  }

  @Test
  void eachStepReturnsACopyAndLeavesTheOriginal() {
    ClusterSpec base = ClusterSpec.named("devkube");
    ClusterSpec withRegion = base.region("nyc1");

    assertThat(base.region()).isNull();
    assertThat(withRegion.region()).isEqualTo("nyc1");
    assertThat(base.version()).isEqualTo(ClusterSpec.LATEST);
    assertThat(withRegion.version("1.31.1-do.5").version()).isEqualTo("1.31.1-do.5");
    assertThat(withRegion).isEqualTo(ClusterSpec.named("devkube").region("nyc1"));
    assertThat(withRegion.hashCode())
        .isEqualTo(ClusterSpec.named("devkube").region("nyc1").hashCode());
  }

  @Test
  void nameMustBeADnsLabel() {
    assertThatThrownBy(() -> ClusterSpec.named("Dev_Kube"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cluster name \"Dev_Kube\" is not a DNS label: use 1 to 63 lower-case letters,"
                + " digits and '-', starting and ending with a letter or digit");
    assertThatThrownBy(() -> ClusterSpec.named("-devkube")).hasMessageContaining("\"-devkube\"");
    assertThatThrownBy(() -> ClusterSpec.named("")).hasMessageContaining("\"\" is not a DNS label");
    assertThatThrownBy(() -> ClusterSpec.named("a".repeat(64)))
        .hasMessageContaining("is not a DNS label");
    assertThat(ClusterSpec.named("a".repeat(63)).name()).hasSize(63);
    assertThat(ClusterSpec.named("dev-kube-2").name()).isEqualTo("dev-kube-2");
  }

  @Test
  void validateRequiresARegionAndANodePool() {
    assertThatThrownBy(
            () -> ClusterSpec.named("devkube").nodePool("p", "s-1vcpu-2gb", 1).validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cluster devkube has no region: call region(...), for example region(\"sfo2\")");
    assertThatThrownBy(() -> ClusterSpec.named("devkube").region("sfo2").validate())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cluster devkube has no node pool: call nodePool(name, size, count), for example"
                + " nodePool(\"devpool\", \"s-2vcpu-4gb\", 2)");
  }

  @Test
  void nodePoolsNeedAtLeastOneNodeAndDistinctNames() {
    ClusterSpec spec = ClusterSpec.named("devkube").nodePool("devpool", "s-2vcpu-4gb", 2);

    assertThatThrownBy(() -> spec.nodePool("devpool", "s-4vcpu-8gb", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cluster devkube already has a node pool named \"devpool\": give each pool its"
                + " own name");
    assertThatThrownBy(() -> spec.nodePool("other", "s-2vcpu-4gb", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node pool other count 0 is below 1: a pool needs at least one node");
    assertThatThrownBy(() -> spec.nodePool("Pool 2", "s-2vcpu-4gb", 1))
        .hasMessageStartingWith("node pool name \"Pool 2\" is not a DNS label");
    assertThatThrownBy(() -> spec.nodePool("other", " ", 1))
        .hasMessage("node pool other size is blank: give a non-empty value");
  }

  @Test
  void nodePoolAutoScaleBoundsMustHoldTheCount() {
    NodePoolSpec pool =
        NodePoolSpec.of("devpool", "s-2vcpu-4gb", 2)
            .withAutoScale(1, 4)
            .withTags("web")
            .withLabels(Map.of("tier", "dev"));

    assertThat(pool.autoScale()).isTrue();
    assertThat(pool.minNodes()).isEqualTo(1);
    assertThat(pool.maxNodes()).isEqualTo(4);
    assertThat(pool.tags()).containsExactly("web");
    assertThat(pool.labels()).containsEntry("tier", "dev");
    assertThatThrownBy(() -> NodePoolSpec.of("devpool", "s-2vcpu-4gb", 5).withAutoScale(1, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "node pool devpool auto-scale bounds 1..4 do not hold count 5: use"
                + " 0 <= min <= count <= max, max >= 1");
  }

  @Test
  void regionVersionTagsAndVpcAreChecked() {
    ClusterSpec spec = ClusterSpec.named("devkube");

    assertThatThrownBy(() -> spec.region("San Francisco"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "region \"San Francisco\" is not a slug: use lower-case letters, digits, '.'"
                + " and '-', such as sfo2");
    assertThatThrownBy(() -> spec.version("1.31 latest"))
        .hasMessage(
            "version \"1.31 latest\" is not a slug: use lower-case letters, digits, '.'"
                + " and '-', such as 1.31.1-do.5");
    assertThatThrownBy(() -> spec.region("")).hasMessage("region is blank: give a non-empty value");
    assertThatThrownBy(() -> spec.tags("ok", "not ok"))
        .hasMessage("tag \"not ok\" is not valid: use 1 to 255 letters, digits, ':', '-' and '_'");
    assertThatThrownBy(() -> spec.vpc("default"))
        .hasMessage(
            "VPC \"default\" is not a UUID: give the VPC's id, such as"
                + " c33931f2-a26a-4e61-b85c-4e95a2ec431b");
  }

  @Test
  void maintenanceWindowIsInWholeMinutes() {
    assertThat(MaintenanceWindow.anyDay(LocalTime.of(12, 30)).day()).isNull();
    assertThatThrownBy(() -> MaintenanceWindow.anyDay(LocalTime.of(12, 30, 15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maintenance start time 12:30:15 is not a whole minute: use hours and minutes,"
                + " such as LocalTime.of(3, 0)");
  }

  @Test
  void clusterUpdateKeepsUnsetFieldsNull() {
    ClusterUpdate update = ClusterUpdate.of().tags("dev").autoUpgrade(true);

    assertThat(update.name()).isNull();
    assertThat(update.tags()).containsExactly("dev");
    assertThat(update.autoUpgrade()).isTrue();
    assertThat(update.surgeUpgrade()).isNull();
    assertThat(update.maintenanceWindow()).isNull();
    assertThatThrownBy(() -> update.name("Bad Name"))
        .hasMessageStartingWith("cluster name \"Bad Name\"");
  }
}
