package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClusterStatusTest {
  @Test
  void providerStatesParseInAnyCase() {
    assertThat(ClusterStatus.parse("running")).isEqualTo(ClusterStatus.RUNNING);
    assertThat(ClusterStatus.parse("Provisioning")).isEqualTo(ClusterStatus.PROVISIONING);
    assertThat(ClusterStatus.parse("deleting")).isEqualTo(ClusterStatus.DELETING);
  }

  @Test
  void unknownOrMissingStatesAreUnknown() {
    assertThat(ClusterStatus.parse("hibernating")).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(ClusterStatus.parse("")).isEqualTo(ClusterStatus.UNKNOWN);
    assertThat(ClusterStatus.parse(null)).isEqualTo(ClusterStatus.UNKNOWN);
  }

  @Test
  void failureStatesAreTheOnesThatNeverBecomeRunning() {
    assertThat(ClusterStatus.values())
        .filteredOn(ClusterStatus::isFailure)
        .containsExactlyInAnyOrder(
            ClusterStatus.ERROR,
            ClusterStatus.INVALID,
            ClusterStatus.DELETING,
            ClusterStatus.DELETED);
    assertThat(ClusterStatus.UPGRADING.slug()).isEqualTo("upgrading");
  }
}
