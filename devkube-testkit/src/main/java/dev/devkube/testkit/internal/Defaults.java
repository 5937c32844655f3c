package dev.devkube.testkit.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The defaults kube-apiserver fills in (its defaulting functions and default admission plugins) for
 * the kinds a development environment uses, so that what a client reads back is what a cluster
 * would return: pod specs (restart and DNS policy, scheduler, grace period, container termination
 * message and pull policy, port protocols), Deployment strategy and limits, Service type, ports and
 * IP families, claim volume mode and default storage class, Secret type and the namespace name
 * label.
 */
final class Defaults {
  private Defaults() {}

  /** Fills in the defaults of {@code object} (a {@code kind}) in place. */
  static void apply(
      Kinds.Kind kind, Map<String, @Nullable Object> object, Store store, Kinds kinds) {
    switch (kind.groupVersion() + "/" + kind.kind()) {
      case "v1/Pod" -> {
        Map<String, @Nullable Object> spec = Doc.map(object, "spec");
        podSpec(spec);
        spec.putIfAbsent("enableServiceLinks", true);
        spec.putIfAbsent("preemptionPolicy", "PreemptLowerPriority");
        spec.putIfAbsent("priority", 0L);
        spec.putIfAbsent("serviceAccountName", "default");
        spec.putIfAbsent("serviceAccount", spec.get("serviceAccountName"));
        if (!spec.containsKey("tolerations")) {
          spec.put(
              "tolerations",
              List.of(
                  toleration("node.kubernetes.io/not-ready"),
                  toleration("node.kubernetes.io/unreachable")));
        }
      }
      case "apps/v1/Deployment" -> {
        Map<String, @Nullable Object> spec = Doc.map(object, "spec");
        spec.putIfAbsent("replicas", 1L);
        Map<String, @Nullable Object> strategy = Doc.map(spec, "strategy");
        strategy.putIfAbsent("type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.get("type"))) {
          Map<String, @Nullable Object> rolling = Doc.map(strategy, "rollingUpdate");
          rolling.putIfAbsent("maxUnavailable", "25%");
          rolling.putIfAbsent("maxSurge", "25%");
        }
        spec.putIfAbsent("revisionHistoryLimit", 10L);
        spec.putIfAbsent("progressDeadlineSeconds", 600L);
        template(spec);
      }
      case "apps/v1/ReplicaSet", "apps/v1/StatefulSet" -> {
        Map<String, @Nullable Object> spec = Doc.map(object, "spec");
        spec.putIfAbsent("replicas", 1L);
        if (kind.kind().equals("StatefulSet")) {
          spec.putIfAbsent("podManagementPolicy", "OrderedReady");
          spec.putIfAbsent("revisionHistoryLimit", 10L);
          Map<String, @Nullable Object> strategy = Doc.map(spec, "updateStrategy");
          strategy.putIfAbsent("type", "RollingUpdate");
        }
        template(spec);
      }
      case "apps/v1/DaemonSet" -> {
        Map<String, @Nullable Object> spec = Doc.map(object, "spec");
        spec.putIfAbsent("revisionHistoryLimit", 10L);
        template(spec);
      }
      case "batch/v1/Job" -> {
        Map<String, @Nullable Object> spec = Doc.map(object, "spec");
        spec.putIfAbsent("parallelism", 1L);
        spec.putIfAbsent("completions", 1L);
        spec.putIfAbsent("backoffLimit", 6L);
        spec.putIfAbsent("completionMode", "NonIndexed");
        spec.putIfAbsent("suspend", false);
        template(spec);
      }
      case "v1/Service" -> service(Doc.map(object, "spec"));
      case "v1/PersistentVolumeClaim" -> {
        Map<String, @Nullable Object> spec = Doc.map(object, "spec");
        spec.putIfAbsent("volumeMode", "Filesystem");
        if (!spec.containsKey("storageClassName") && !spec.containsKey("volumeName")) {
          // The DefaultStorageClass admission plugin.
          Kinds.Kind classes = kinds.byKind("storage.k8s.io/v1", "StorageClass");
          if (classes != null) {
            for (Map<String, @Nullable Object> c : store.list(classes, null, o -> true)) {
              if ("true"
                  .equals(
                      Doc.strings(c, "metadata.annotations")
                          .get("storageclass.kubernetes.io/is-default-class"))) {
                spec.put("storageClassName", Doc.string(c, "metadata.name"));
                break;
              }
            }
          }
        }
      }
      case "v1/Secret" -> object.putIfAbsent("type", "Opaque");
      case "v1/Namespace" -> {
        Doc.map(object, "metadata.labels")
            .put("kubernetes.io/metadata.name", Doc.string(object, "metadata.name"));
        Map<String, @Nullable Object> spec = Doc.map(object, "spec");
        spec.putIfAbsent("finalizers", List.of("kubernetes"));
      }
      default -> {}
    }
  }

  private static Map<String, @Nullable Object> toleration(String key) {
    return Doc.obj(
        "key", key, "operator", "Exists", "effect", "NoExecute", "tolerationSeconds", 300L);
  }

  private static void template(Map<String, @Nullable Object> spec) {
    if (spec.get("template") instanceof Map<?, ?>) {
      podSpec(Doc.map(spec, "template.spec"));
    }
  }

  private static void podSpec(Map<String, @Nullable Object> spec) {
    spec.putIfAbsent("restartPolicy", "Always");
    spec.putIfAbsent("terminationGracePeriodSeconds", 30L);
    spec.putIfAbsent("dnsPolicy", "ClusterFirst");
    spec.putIfAbsent("securityContext", Doc.obj());
    spec.putIfAbsent("schedulerName", "default-scheduler");
    for (String field : List.of("containers", "initContainers")) {
      for (Object container : Doc.list(spec, field)) {
        if (container instanceof Map<?, ?>) {
          @SuppressWarnings("unchecked")
          Map<String, @Nullable Object> c = (Map<String, @Nullable Object>) container;
          container(c);
        }
      }
    }
  }

  private static void container(Map<String, @Nullable Object> container) {
    container.putIfAbsent("terminationMessagePath", "/dev/termination-log");
    container.putIfAbsent("terminationMessagePolicy", "File");
    container.putIfAbsent("resources", Doc.obj());
    String image = String.valueOf(container.get("image"));
    String last = image.substring(image.lastIndexOf('/') + 1);
    boolean latest = (!last.contains(":") && !image.contains("@")) || last.endsWith(":latest");
    container.putIfAbsent("imagePullPolicy", latest ? "Always" : "IfNotPresent");
    for (Object port : Doc.list(container, "ports")) {
      if (port instanceof Map<?, ?>) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> p = (Map<String, @Nullable Object>) port;
        p.putIfAbsent("protocol", "TCP");
      }
    }
  }

  private static void service(Map<String, @Nullable Object> spec) {
    spec.putIfAbsent("type", "ClusterIP");
    spec.putIfAbsent("sessionAffinity", "None");
    String type = String.valueOf(spec.get("type"));
    if (!type.equals("ExternalName")) {
      spec.putIfAbsent("internalTrafficPolicy", "Cluster");
      spec.putIfAbsent("ipFamilies", List.of("IPv4"));
      spec.putIfAbsent("ipFamilyPolicy", "SingleStack");
    }
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      spec.putIfAbsent("externalTrafficPolicy", "Cluster");
    }
    for (Object port : Doc.list(spec, "ports")) {
      if (port instanceof Map<?, ?>) {
        @SuppressWarnings("unchecked")
        Map<String, @Nullable Object> p = (Map<String, @Nullable Object>) port;
        p.putIfAbsent("protocol", "TCP");
        if (p.get("port") != null) {
          p.putIfAbsent("targetPort", p.get("port"));
        }
      }
    }
  }
}
