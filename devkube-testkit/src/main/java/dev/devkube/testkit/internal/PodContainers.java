package dev.devkube.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Which container of a pod a log, exec or attach request means, decided as the API server decides
 * it (Kubernetes {@code pkg/registry/core/pod/strategy.go}, {@code validateContainer}): no name
 * means the only one of {@code spec.containers}, and is refused when there are several; a name must
 * be one of the pod's containers, init containers or ephemeral containers.
 */
final class PodContainers {
  private PodContainers() {}

  /**
   * The container {@code wanted} names (empty: the pod's only container).
   *
   * @throws Status 400 with the API server's message otherwise
   */
  static String require(Map<String, @Nullable Object> pod, String podName, String wanted) {
    List<String> containers = names(pod, "spec.containers");
    if (wanted.isEmpty()) {
      if (containers.size() == 1) {
        return containers.get(0);
      }
      if (containers.isEmpty()) {
        throw Status.badRequest("a container name must be specified for pod " + podName);
      }
      throw Status.badRequest(
          "a container name must be specified for pod "
              + podName
              + ", choose one of: ["
              + String.join(" ", all(pod))
              + "]");
    }
    if (!all(pod).contains(wanted)) {
      throw Status.badRequest("container " + wanted + " is not valid for pod " + podName);
    }
    return wanted;
  }

  /** Every container's name in the API server's order: init, regular, then ephemeral ones. */
  private static List<String> all(Map<String, @Nullable Object> pod) {
    List<String> all = new ArrayList<>(names(pod, "spec.initContainers"));
    all.addAll(names(pod, "spec.containers"));
    all.addAll(names(pod, "spec.ephemeralContainers"));
    return all;
  }

  private static List<String> names(Map<String, @Nullable Object> pod, String path) {
    List<String> names = new ArrayList<>();
    for (Object container : Doc.list(pod, path)) {
      names.add(Objects.requireNonNullElse(Doc.string(container, "name"), ""));
    }
    return names;
  }
}
