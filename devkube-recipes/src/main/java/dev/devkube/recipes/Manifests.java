package dev.devkube.recipes;

import dev.devkube.k8s.KubeObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The shapes every recipe repeats: a labelled Deployment, a Service, a container, an NFS volume. */
final class Manifests {
  private Manifests() {}

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** One replica, Recreate or RollingUpdate, pods labelled for {@code role}. */
  static KubeObject deployment(Context context, String name, String component, String role,
      boolean recreate, List<Object> containers, List<Object> volumes) {
    Map<String, Object> podLabels = new LinkedHashMap<>(context.labels(component));
    podLabels.put("app", name);
    podLabels.putAll(context.selector(role));
    Map<String, Object> podSpec = map("containers", containers);
    if (!volumes.isEmpty()) {
      podSpec.put("volumes", volumes);
    }
    return KubeObject.of("apps/v1", "Deployment", name).namespace(context.namespace())
        .set("metadata.labels", context.labels(component))
        .set("spec", map(
            "replicas", 1,
            "strategy", map("type", recreate ? "Recreate" : "RollingUpdate"),
            "selector", map("matchLabels", context.selector(role)),
            "template", map("metadata", map("labels", podLabels), "spec", podSpec)));
  }

  static Map<String, Object> container(String name, String image, List<Object> ports,
      List<Object> mounts, @Nullable Map<String, Object> probe) {
    Map<String, Object> container = map("name", name, "image", image, "ports", ports,
        "resources", map("requests", map("cpu", "50m", "memory", "64Mi"),
            "limits", map("memory", "256Mi")));
    if (!mounts.isEmpty()) {
      container.put("volumeMounts", mounts);
    }
    if (probe != null) {
      container.put("readinessProbe", probe);
    }
    return container;
  }

  static Map<String, Object> tcpProbe(int port) {
    return map("tcpSocket", map("port", port), "initialDelaySeconds", 2, "periodSeconds", 5);
  }

  static Map<String, Object> port(String name, int number, String key) {
    return map("name", name, key, number, "protocol", "TCP");
  }

  static Map<String, Object> mount(String volume, String path, boolean readOnly) {
    Map<String, Object> mount = map("name", volume, "mountPath", path);
    if (readOnly) {
      mount.put("readOnly", true);
    }
    return mount;
  }

  /** The share as a pod volume: the NFS Service's cluster IP, mounted by the kubelet without DNS. */
  static Map<String, Object> nfsVolume(NfsShare share) {
    return map("name", "nfs-volume", "nfs", map("server", share.server(), "path", share.path()));
  }

  static KubeObject nodePortService(Context context, String name, String component, String role,
      String portName, int port, int targetPort, int nodePort) {
    return KubeObject.of("v1", "Service", name).namespace(context.namespace())
        .set("metadata.labels", context.labels(component))
        .set("spec", map("type", "NodePort", "selector", context.selector(role),
            "ports", List.of(map("name", portName, "port", port, "targetPort", targetPort,
                "nodePort", nodePort, "protocol", "TCP"))));
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }
}
