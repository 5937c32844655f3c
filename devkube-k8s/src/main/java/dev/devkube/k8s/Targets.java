package dev.devkube.k8s;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What {@link KubeClient#readyPod} and {@link KubeClient#portForward} resolve a target to. */
final class Targets {
  private Targets() {}

  record Target(KubePod pod, KubeObject object) {}

  static Target readyPod(KubeClient kube, KubeObject target) {
    String namespace = Objects.requireNonNullElse(target.namespace(), kube.namespace());
    String name = Objects.requireNonNull(target.name(), "the target needs metadata.name");
    String kind = Objects.requireNonNullElse(target.kind(), "");
    KubeObject current =
        kube.resource(target.namespace(namespace))
            .get()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no " + kind + " " + namespace + "/" + name + " to reach a pod through"));
    if (kind.equals("Pod")) {
      if (!ready(current)) {
        throw new IllegalStateException("pod " + namespace + "/" + name + " is not ready");
      }
      return new Target(kube.pod(namespace, name), current);
    }
    Map<String, String> selector =
        kind.equals("Service")
            ? strings(current.get("spec.selector"))
            : strings(current.get("spec.selector.matchLabels"));
    if (selector.isEmpty()) {
      throw new IllegalStateException(
          kind + " " + namespace + "/" + name + " selects no pods (no selector)");
    }
    for (KubeObject pod :
        kube.resources("v1", "Pod").inNamespace(namespace).withLabels(selector).list()) {
      if (pod.getString("metadata.deletionTimestamp") == null && ready(pod)) {
        return new Target(kube.pod(namespace, Objects.requireNonNull(pod.name())), pod);
      }
    }
    throw new IllegalStateException(
        "no ready pod behind "
            + kind
            + " "
            + namespace
            + "/"
            + name
            + " (selector "
            + selector
            + ")");
  }

  /** The pod port a Service port leads to; other targets' ports are the pod's own. */
  static int podPort(KubeObject target, KubeObject pod, int port) {
    if (!"Service".equals(target.kind())) {
      return port;
    }
    KubeObject service = target;
    for (Object p : service.getList("spec.ports")) {
      if (!(p instanceof Map<?, ?> entry)
          || !(entry.get("port") instanceof Number n)
          || n.intValue() != port) {
        continue;
      }
      Object targetPort = entry.get("targetPort");
      if (targetPort == null) {
        return port;
      }
      if (targetPort instanceof Number number) {
        return number.intValue();
      }
      for (Object c : pod.getList("spec.containers")) {
        if (c instanceof Map<?, ?> container && container.get("ports") instanceof List<?> ports) {
          for (Object cp : ports) {
            if (cp instanceof Map<?, ?> declared
                && targetPort.equals(declared.get("name"))
                && declared.get("containerPort") instanceof Number containerPort) {
              return containerPort.intValue();
            }
          }
        }
      }
      throw new IllegalStateException(
          "the Service's target port \"" + targetPort + "\" is no port name of pod " + pod.name());
    }
    throw new IllegalStateException("Service " + service.name() + " has no port " + port);
  }

  private static boolean ready(KubeObject pod) {
    return Conditions.podReady().check(pod).outcome() == Condition.Outcome.MET;
  }

  private static Map<String, String> strings(@Nullable Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return Map.of();
    }
    java.util.Map<String, String> strings = new java.util.LinkedHashMap<>();
    map.forEach((k, v) -> strings.put(String.valueOf(k), String.valueOf(v)));
    return strings;
  }
}
