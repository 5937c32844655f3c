package dev.devkube.recipes;

import dev.devkube.k8s.KubeObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The shapes every recipe repeats: a labelled Deployment, a Service, a container, an NFS volume.
 */
final class Manifests {
  /** The name of the share's volume in every pod that mounts it. */
  static final String SHARE_VOLUME = "nfs-volume";

  private Manifests() {}

  static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** One replica, Recreate or RollingUpdate, pods labelled for {@code role}. */
  static KubeObject deployment(
      RecipeContext context,
      String name,
      String component,
      String role,
      boolean recreate,
      List<Object> containers,
      List<Object> volumes) {
    Map<String, Object> podLabels = new LinkedHashMap<>(context.labels(component));
    podLabels.put("app", name);
    podLabels.putAll(context.selector(role));
    Map<String, Object> podSpec = map("containers", containers);
    if (!volumes.isEmpty()) {
      podSpec.put("volumes", volumes);
    }
    return KubeObject.of("apps/v1", "Deployment", name)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels(component))
        .set(
            "spec",
            map(
                "replicas", 1,
                "strategy", map("type", recreate ? "Recreate" : "RollingUpdate"),
                "selector", map("matchLabels", context.selector(role)),
                "template", map("metadata", map("labels", podLabels), "spec", podSpec)));
  }

  static Map<String, Object> container(
      String name,
      String image,
      List<Object> ports,
      List<Object> mounts,
      @Nullable Map<String, Object> probe) {
    Map<String, Object> container = map("name", name, "image", image);
    if (!ports.isEmpty()) {
      container.put("ports", ports);
    }
    container.put(
        "resources",
        map("requests", map("cpu", "50m", "memory", "64Mi"), "limits", map("memory", "256Mi")));
    if (!mounts.isEmpty()) {
      container.put("volumeMounts", mounts);
    }
    if (probe != null) {
      container.put("readinessProbe", probe);
    }
    return container;
  }

  /** An init container that runs {@code script} with {@code sh -c}, with one volume mounted. */
  static Map<String, Object> initContainer(
      String name,
      String image,
      Map<String, Object> mount,
      String script,
      Map<String, Object> securityContext) {
    Map<String, Object> container = container(name, image, list(), list(mount), null);
    container.put("command", list("sh", "-c", script));
    container.put("securityContext", securityContext);
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

  /**
   * The share as a pod volume: the NFS Service's cluster IP, mounted by the kubelet without DNS.
   */
  static Map<String, Object> nfsVolume(NfsShare share) {
    return map("name", SHARE_VOLUME, "nfs", map("server", share.server(), "path", share.path()));
  }

  static KubeObject nodePortService(
      RecipeContext context,
      String name,
      String component,
      String role,
      String portName,
      int port,
      int targetPort,
      int nodePort) {
    return KubeObject.of("v1", "Service", name)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels(component))
        .set(
            "spec",
            map(
                "type",
                "NodePort",
                "selector",
                context.selector(role),
                "ports",
                List.of(
                    map(
                        "name",
                        portName,
                        "port",
                        port,
                        "targetPort",
                        targetPort,
                        "nodePort",
                        nodePort,
                        "protocol",
                        "TCP"))));
  }

  /**
   * A ClusterIP Service: reachable in the cluster (and through the ssh server), never from outside.
   */
  static KubeObject clusterIpService(
      RecipeContext context,
      String name,
      String component,
      String role,
      String portName,
      int port,
      int targetPort) {
    return KubeObject.of("v1", "Service", name)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels(component))
        .set(
            "spec",
            map(
                "type",
                "ClusterIP",
                "selector",
                context.selector(role),
                "ports",
                List.of(
                    map(
                        "name",
                        portName,
                        "port",
                        port,
                        "targetPort",
                        targetPort,
                        "protocol",
                        "TCP"))));
  }

  /** An Opaque Secret holding {@code values} (base64 in {@code data}, as the API stores them). */
  static KubeObject secret(
      RecipeContext context, String name, String component, Map<String, String> values) {
    Map<String, Object> data = new LinkedHashMap<>();
    values.forEach(
        (key, value) ->
            data.put(
                key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    return KubeObject.of("v1", "Secret", name)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels(component))
        .set("type", "Opaque")
        .set("data", data);
  }

  /**
   * A ReadWriteOnce claim of {@code size} in {@code storageClass} (null: the cluster's default
   * class).
   */
  static KubeObject claim(
      RecipeContext context,
      String name,
      String component,
      String size,
      @Nullable String storageClass) {
    Map<String, Object> spec =
        map(
            "accessModes",
            List.of("ReadWriteOnce"),
            "resources",
            map("requests", map("storage", size)));
    if (storageClass != null) {
      spec.put("storageClassName", storageClass);
    }
    return KubeObject.of("v1", "PersistentVolumeClaim", name)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels(component))
        .set("spec", spec);
  }

  /** An environment variable read from a Secret's key. */
  static Map<String, Object> secretEnv(String name, String secret, String key) {
    return map("name", name, "valueFrom", map("secretKeyRef", map("name", secret, "key", key)));
  }

  /** Sets the container's memory request and limit (the defaults suit small servers only). */
  static Map<String, Object> memory(Map<String, Object> container, String request, String limit) {
    container.put(
        "resources",
        map("requests", map("cpu", "50m", "memory", request), "limits", map("memory", limit)));
    return container;
  }

  /** Runs as {@code uid}:{@code gid}, never as root, with no way to gain privileges. */
  static Map<String, Object> nonRoot(int uid, int gid) {
    return map(
        "runAsUser",
        uid,
        "runAsGroup",
        gid,
        "runAsNonRoot",
        true,
        "allowPrivilegeEscalation",
        false);
  }

  /** A readiness probe that runs {@code command} in the container. */
  static Map<String, Object> execProbe(String... command) {
    return map(
        "exec", map("command", List.of(command)), "initialDelaySeconds", 2, "periodSeconds", 5);
  }

  /** In-cluster DNS name of a Service. */
  static String serviceHost(RecipeContext context, String service) {
    return service + "." + context.namespace() + ".svc.cluster.local";
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }
}
