package dev.devkube.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The usual things to wait for. Each names its object's state when it is not met yet (a pod's phase
 * and why its containers wait, a Deployment's replica counts), and fails at once when it can no
 * longer be met (a pod that Failed, a Deployment past its progress deadline, a Job that failed).
 *
 * <pre>{@code
 * kube.resource(deployment).waitUntil(Conditions.deploymentAvailable(), Duration.ofMinutes(5));
 * kube.resource(pod).waitUntil(Conditions.podReady(), Duration.ofMinutes(2));
 * }</pre>
 */
public final class Conditions {
  private static final Set<String> FATAL_WAITING =
      Set.of("InvalidImageName", "CreateContainerConfigError");

  private Conditions() {}

  /** The object exists. */
  public static Condition exists() {
    return simple(
        "to exist", o -> o != null ? Condition.Check.met() : Condition.Check.notYet("absent"));
  }

  /** The object no longer exists. */
  public static Condition deleted() {
    return simple(
        "to be deleted",
        o ->
            o == null
                ? Condition.Check.met()
                : Condition.Check.notYet(
                    o.getString("metadata.deletionTimestamp") != null ? "terminating" : "present"));
  }

  /** A pod is Running; fails when it Failed or Succeeded (it will not run again). */
  public static Condition podRunning() {
    return pod("to be running", o -> true);
  }

  /** A pod is Running and its Ready condition is True. */
  public static Condition podReady() {
    return pod("to be ready", o -> "True".equals(conditionStatus(o, "Ready")));
  }

  /** A pod in phase Running for which {@code more} holds; fails on a state it cannot leave. */
  private static Condition pod(String description, java.util.function.Predicate<KubeObject> more) {
    return simple(
        description,
        o -> {
          if (o == null) {
            return Condition.Check.notYet("absent");
          }
          String phase = String.valueOf(o.getString("status.phase"));
          Condition.Check fatal = podFatal(o, phase);
          if (fatal != null) {
            return fatal;
          }
          return "Running".equals(phase) && more.test(o)
              ? Condition.Check.met()
              : Condition.Check.notYet(podState(o));
        });
  }

  /**
   * A Deployment has rolled out: the controller has seen the current generation and all desired
   * replicas are updated and available. Fails when it is past its progress deadline.
   */
  public static Condition deploymentAvailable() {
    return simple(
        "to be available",
        o -> {
          if (o == null) {
            return Condition.Check.notYet("absent");
          }
          for (Map<?, ?> condition : conditions(o)) {
            if ("Progressing".equals(condition.get("type"))
                && "False".equals(condition.get("status"))
                && "ProgressDeadlineExceeded".equals(condition.get("reason"))) {
              return Condition.Check.failed(
                  "ProgressDeadlineExceeded: " + condition.get("message"));
            }
          }
          long desired = number(o, "spec.replicas", 1);
          long generation = number(o, "metadata.generation", 0);
          long observed = number(o, "status.observedGeneration", -1);
          long updated = number(o, "status.updatedReplicas", 0);
          long available = number(o, "status.availableReplicas", 0);
          String state =
              "updated "
                  + updated
                  + "/"
                  + desired
                  + ", available "
                  + available
                  + "/"
                  + desired
                  + (observed < generation
                      ? ", generation " + generation + " not yet observed"
                      : "");
          return observed >= generation && updated == desired && available == desired
              ? Condition.Check.met()
              : Condition.Check.notYet(state);
        });
  }

  /** A Service has a cluster IP; fails for a headless Service, which never gets one. */
  public static Condition serviceHasClusterIP() {
    return simple(
        "to have a cluster IP",
        o -> {
          if (o == null) {
            return Condition.Check.notYet("absent");
          }
          String ip = o.getString("spec.clusterIP");
          if ("None".equals(ip)) {
            return Condition.Check.failed("the Service is headless (clusterIP: None)");
          }
          return ip != null && !ip.isEmpty()
              ? Condition.Check.met()
              : Condition.Check.notYet("no cluster IP yet");
        });
  }

  /** Endpoints have at least one ready address (not-ready addresses do not count). */
  public static Condition endpointsReady() {
    return simple(
        "to have a ready address",
        o -> {
          if (o == null) {
            return Condition.Check.notYet("absent");
          }
          int ready = 0;
          int notReady = 0;
          for (Object subset : o.getList("subsets")) {
            KubeObject s = KubeObject.from((Map<?, ?>) subset);
            ready += s.getList("addresses").size();
            notReady += s.getList("notReadyAddresses").size();
          }
          return ready > 0
              ? Condition.Check.met()
              : Condition.Check.notYet(
                  notReady > 0 ? notReady + " address(es) not ready" : "no addresses");
        });
  }

  /** A PersistentVolumeClaim is Bound; fails when it is Lost. */
  public static Condition pvcBound() {
    return simple(
        "to be bound",
        o -> {
          if (o == null) {
            return Condition.Check.notYet("absent");
          }
          String phase = String.valueOf(o.getString("status.phase"));
          if ("Lost".equals(phase)) {
            return Condition.Check.failed("the claim is Lost: its volume is gone");
          }
          return "Bound".equals(phase) ? Condition.Check.met() : Condition.Check.notYet(phase);
        });
  }

  /** A Job completed; fails when it Failed. */
  public static Condition jobComplete() {
    return simple(
        "to complete",
        o -> {
          if (o == null) {
            return Condition.Check.notYet("absent");
          }
          if ("True".equals(conditionStatus(o, "Failed"))) {
            return Condition.Check.failed(
                "the Job failed: "
                    + conditionField(o, "Failed", "reason")
                    + ": "
                    + conditionField(o, "Failed", "message"));
          }
          return "True".equals(conditionStatus(o, "Complete"))
              ? Condition.Check.met()
              : Condition.Check.notYet(
                  "active "
                      + number(o, "status.active", 0)
                      + ", succeeded "
                      + number(o, "status.succeeded", 0));
        });
  }

  /**
   * The object's {@code status.conditions} has {@code type} with {@code status} (e.g. Ready True).
   */
  public static Condition condition(String type, String status) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(status, "status");
    return simple(
        "to have condition " + type + "=" + status,
        o -> {
          if (o == null) {
            return Condition.Check.notYet("absent");
          }
          String actual = conditionStatus(o, type);
          return status.equals(actual)
              ? Condition.Check.met()
              : Condition.Check.notYet(type + "=" + (actual == null ? "unset" : actual));
        });
  }

  private interface Judge {
    Condition.Check check(@Nullable KubeObject object);
  }

  private static Condition simple(String description, Judge judge) {
    return new Condition() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public Condition.Check check(@Nullable KubeObject object) {
        return judge.check(object);
      }

      @Override
      public String toString() {
        return "Condition[" + description + "]";
      }
    };
  }

  private static Condition.@Nullable Check podFatal(KubeObject pod, String phase) {
    if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      String reason = pod.getString("status.reason");
      String message = pod.getString("status.message");
      return Condition.Check.failed(
          "the pod ended in phase "
              + phase
              + (reason == null ? "" : ": " + reason)
              + (message == null ? "" : ": " + message));
    }
    for (String line : waitingReasons(pod)) {
      for (String fatal : FATAL_WAITING) {
        if (line.contains(": " + fatal)) {
          return Condition.Check.failed("container " + line);
        }
      }
    }
    return null;
  }

  /** {@code Pending (nfs: ImagePullBackOff: Back-off pulling image "nfs:9")}. */
  static String podState(KubeObject pod) {
    String phase = pod.getString("status.phase");
    List<String> waiting = waitingReasons(pod);
    return (phase == null ? "no phase yet" : phase)
        + (waiting.isEmpty() ? "" : " (" + String.join("; ", waiting) + ")");
  }

  private static List<String> waitingReasons(KubeObject pod) {
    List<String> reasons = new ArrayList<>();
    for (String list : List.of("status.initContainerStatuses", "status.containerStatuses")) {
      for (Object status : pod.getList(list)) {
        KubeObject s = KubeObject.from((Map<?, ?>) status);
        String reason = s.getString("state.waiting.reason");
        if (reason != null) {
          String message = s.getString("state.waiting.message");
          reasons.add(
              s.getString("name") + ": " + reason + (message == null ? "" : ": " + message));
        }
      }
    }
    return reasons;
  }

  private static List<Map<?, ?>> conditions(KubeObject object) {
    List<Map<?, ?>> result = new ArrayList<>();
    for (Object condition : object.getList("status.conditions")) {
      if (condition instanceof Map) {
        result.add((Map<?, ?>) condition);
      }
    }
    return result;
  }

  private static @Nullable String conditionStatus(KubeObject object, String type) {
    return conditionField(object, type, "status");
  }

  private static @Nullable String conditionField(KubeObject object, String type, String field) {
    for (Map<?, ?> condition : conditions(object)) {
      if (type.equals(condition.get("type"))) {
        Object value = condition.get(field);
        return value == null ? null : value.toString();
      }
    }
    return null;
  }

  private static long number(KubeObject object, String path, long fallback) {
    Long value = object.getLong(path);
    return value == null ? fallback : value;
  }
}
