package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The conditions as pure functions of an object's state. */
class ConditionsTest {
  private static Condition.Check check(Condition condition, @Nullable String json) {
    return condition.check(json == null ? null : KubeObject.parse(json));
  }

  @Test
  void deploymentAvailableNeedsTheCurrentGenerationAndAllReplicas() {
    Condition available = Conditions.deploymentAvailable();
    String spec = "{\"metadata\":{\"generation\":2},\"spec\":{\"replicas\":2},\"status\":";

    assertThat(
            check(
                available,
                spec + "{\"observedGeneration\":1,\"updatedReplicas\":2,\"availableReplicas\":2}}"))
        .isEqualTo(
            Condition.Check.notYet("updated 2/2, available 2/2, generation 2 not yet observed"));
    assertThat(
            check(
                available,
                spec + "{\"observedGeneration\":2,\"updatedReplicas\":2,\"availableReplicas\":1}}"))
        .isEqualTo(Condition.Check.notYet("updated 2/2, available 1/2"));
    assertThat(
            check(
                available,
                spec + "{\"observedGeneration\":2,\"updatedReplicas\":2,\"availableReplicas\":2}}"))
        .isEqualTo(Condition.Check.met());
    assertThat(
            check(
                available,
                spec
                    + "{\"conditions\":[{\"type\":\"Progressing\",\"status\":\"False\","
                    + "\"reason\":\"ProgressDeadlineExceeded\",\"message\":\"ReplicaSet \\\"nfs-1\\\" has timed out progressing.\"}]}}"))
        .isEqualTo(
            Condition.Check.failed(
                "ProgressDeadlineExceeded: ReplicaSet \"nfs-1\" has timed out progressing."));
    assertThat(
            check(
                available,
                "{\"metadata\":{},\"status\":{\"observedGeneration\":0,\"updatedReplicas\":1,"
                    + "\"availableReplicas\":1}}"))
        .isEqualTo(Condition.Check.met());
  }

  @Test
  void podReadyNeedsTheReadyCondition() {
    assertThat(
            check(
                    Conditions.podReady(),
                    "{\"status\":{\"phase\":\"Running\",\"conditions\":"
                        + "[{\"type\":\"Ready\",\"status\":\"False\"}]}}")
                .outcome())
        .isEqualTo(Condition.Outcome.NOT_YET);
    assertThat(
            check(
                Conditions.podReady(),
                "{\"status\":{\"phase\":\"Running\",\"conditions\":"
                    + "[{\"type\":\"Ready\",\"status\":\"True\"}]}}"))
        .isEqualTo(Condition.Check.met());
    assertThat(
            check(
                Conditions.podRunning(),
                "{\"status\":{\"phase\":\"Pending\",\"containerStatuses\":"
                    + "[{\"name\":\"x\",\"state\":{\"waiting\":{\"reason\":\"InvalidImageName\"}}}]}}"))
        .isEqualTo(Condition.Check.failed("container x: InvalidImageName"));
    assertThat(check(Conditions.podRunning(), null)).isEqualTo(Condition.Check.notYet("absent"));
  }

  @Test
  void endpointsCountOnlyReadyAddresses() {
    assertThat(
            check(
                Conditions.endpointsReady(),
                "{\"subsets\":[{\"notReadyAddresses\":[{\"ip\":\"10.0.0.5\"}]}]}"))
        .isEqualTo(Condition.Check.notYet("1 address(es) not ready"));
    assertThat(
            check(
                Conditions.endpointsReady(),
                "{\"subsets\":[{\"addresses\":[{\"ip\":\"10.0.0.5\"}]}]}"))
        .isEqualTo(Condition.Check.met());
    assertThat(check(Conditions.endpointsReady(), "{}"))
        .isEqualTo(Condition.Check.notYet("no addresses"));
  }

  @Test
  void servicesClaimsAndJobs() {
    assertThat(check(Conditions.serviceHasClusterIP(), "{\"spec\":{\"clusterIP\":\"10.245.0.9\"}}"))
        .isEqualTo(Condition.Check.met());
    assertThat(check(Conditions.serviceHasClusterIP(), "{\"spec\":{\"clusterIP\":\"None\"}}"))
        .isEqualTo(Condition.Check.failed("the Service is headless (clusterIP: None)"));
    assertThat(check(Conditions.pvcBound(), "{\"status\":{\"phase\":\"Pending\"}}"))
        .isEqualTo(Condition.Check.notYet("Pending"));
    assertThat(check(Conditions.pvcBound(), "{\"status\":{\"phase\":\"Bound\"}}"))
        .isEqualTo(Condition.Check.met());
    assertThat(
            check(
                Conditions.jobComplete(),
                "{\"status\":{\"conditions\":[{\"type\":\"Failed\",\"status\":"
                    + "\"True\",\"reason\":\"BackoffLimitExceeded\",\"message\":\"Job has reached the specified backoff limit\"}]}}"))
        .isEqualTo(
            Condition.Check.failed(
                "the Job failed: BackoffLimitExceeded: Job has reached the specified backoff limit"));
    assertThat(
            check(
                Conditions.condition("Ready", "True"),
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\"," + "\"status\":\"Unknown\"}]}}"))
        .isEqualTo(Condition.Check.notYet("Ready=Unknown"));
    assertThat(check(Condition.of("to have data", o -> o.get("data") != null), "{\"data\":{}}"))
        .isEqualTo(Condition.Check.met());
  }
}
