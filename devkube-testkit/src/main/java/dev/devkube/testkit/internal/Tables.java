package dev.devkube.testkit.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Server-side printing: the {@code meta.k8s.io/v1} Table an API server answers to {@code Accept:
 * application/json;as=Table;v=v1;g=meta.k8s.io}, with the columns kube-apiserver's printers give
 * the common kinds ({@code kubectl get} shows them; priority 1 columns only with {@code -o wide}),
 * and Name / Created At for the others.
 */
public final class Tables {
  private Tables() {}

  /** One column: its header, type, priority and how a cell is computed. */
  private record Column(
      String name,
      String type,
      int priority,
      Function<Map<String, @Nullable Object>, Object> cell) {}

  /** A Table of these objects. */
  public static Map<String, @Nullable Object> of(
      Kinds.Kind kind, List<Map<String, @Nullable Object>> objects, String resourceVersion) {
    List<Column> columns = columns(kind.kind());
    List<Object> definitions = new ArrayList<>();
    for (Column column : columns) {
      definitions.add(
          Doc.obj(
              "name",
              column.name(),
              "type",
              column.type(),
              "format",
              column.name().equals("Name") ? "name" : "",
              "description",
              "",
              "priority",
              (long) column.priority()));
    }
    List<Object> rows = new ArrayList<>();
    for (Map<String, @Nullable Object> object : objects) {
      List<Object> cells = new ArrayList<>();
      for (Column column : columns) {
        cells.add(column.cell().apply(object));
      }
      rows.add(
          Doc.obj(
              "cells",
              cells,
              "object",
              Doc.obj(
                  "kind",
                  "PartialObjectMetadata",
                  "apiVersion",
                  "meta.k8s.io/v1",
                  "metadata",
                  Doc.copy(Doc.map(Doc.copy(object), "metadata")))));
    }
    Map<String, @Nullable Object> metadata = Doc.obj();
    if (!resourceVersion.isEmpty()) {
      metadata.put("resourceVersion", resourceVersion);
    }
    return Doc.obj(
        "kind",
        "Table",
        "apiVersion",
        "meta.k8s.io/v1",
        "metadata",
        metadata,
        "columnDefinitions",
        definitions,
        "rows",
        rows);
  }

  private static Column text(
      String name, int priority, Function<Map<String, @Nullable Object>, Object> cell) {
    return new Column(name, "string", priority, cell);
  }

  private static Column number(String name, Function<Map<String, @Nullable Object>, Object> cell) {
    return new Column(name, "integer", 0, cell);
  }

  private static Column name() {
    return text("Name", 0, o -> String.valueOf(Doc.string(o, "metadata.name")));
  }

  private static Column age() {
    return text("Age", 0, o -> age(Doc.string(o, "metadata.creationTimestamp")));
  }

  private static List<Column> columns(String kind) {
    return switch (kind) {
      case "Pod" ->
          List.of(
              name(),
              text("Ready", 0, Tables::podReady),
              text("Status", 0, Tables::podStatus),
              text("Restarts", 0, Tables::restarts),
              age(),
              text("IP", 1, o -> or(Doc.string(o, "status.podIP"), "<none>")),
              text("Node", 1, o -> or(Doc.string(o, "spec.nodeName"), "<none>")),
              text(
                  "Nominated Node",
                  1,
                  o -> or(Doc.string(o, "status.nominatedNodeName"), "<none>")),
              text("Readiness Gates", 1, o -> "<none>"));
      case "Node" ->
          List.of(
              name(),
              text("Status", 0, Tables::nodeStatus),
              text("Roles", 0, Tables::roles),
              age(),
              text("Version", 0, o -> or(Doc.string(o, "status.nodeInfo.kubeletVersion"), "")),
              text("Internal-IP", 1, o -> address(o, "InternalIP")),
              text("External-IP", 1, o -> address(o, "ExternalIP")),
              text("OS-Image", 1, o -> or(Doc.string(o, "status.nodeInfo.osImage"), "<unknown>")),
              text(
                  "Kernel-Version",
                  1,
                  o -> or(Doc.string(o, "status.nodeInfo.kernelVersion"), "<unknown>")),
              text(
                  "Container-Runtime",
                  1,
                  o -> or(Doc.string(o, "status.nodeInfo.containerRuntimeVersion"), "<unknown>")));
      case "Deployment" ->
          List.of(
              name(),
              text("Ready", 0, o -> count(o, "status.readyReplicas") + "/" + desired(o)),
              number("Up-to-date", o -> count(o, "status.updatedReplicas")),
              number("Available", o -> count(o, "status.availableReplicas")),
              age(),
              text("Containers", 1, o -> containers(o, "name")),
              text("Images", 1, o -> containers(o, "image")),
              text("Selector", 1, o -> selector(Doc.strings(o, "spec.selector.matchLabels"))));
      case "ReplicaSet" ->
          List.of(
              name(),
              number("Desired", Tables::desired),
              number("Current", o -> count(o, "status.replicas")),
              number("Ready", o -> count(o, "status.readyReplicas")),
              age(),
              text("Containers", 1, o -> containers(o, "name")),
              text("Images", 1, o -> containers(o, "image")),
              text("Selector", 1, o -> selector(Doc.strings(o, "spec.selector.matchLabels"))));
      case "StatefulSet" ->
          List.of(
              name(),
              text("Ready", 0, o -> count(o, "status.readyReplicas") + "/" + desired(o)),
              age(),
              text("Containers", 1, o -> containers(o, "name")),
              text("Images", 1, o -> containers(o, "image")));
      case "Service" ->
          List.of(
              name(),
              text("Type", 0, o -> or(Doc.string(o, "spec.type"), "ClusterIP")),
              text("Cluster-IP", 0, o -> or(Doc.string(o, "spec.clusterIP"), "<none>")),
              text("External-IP", 0, Tables::externalIp),
              text("Port(s)", 0, Tables::ports),
              age(),
              text("Selector", 1, o -> selector(Doc.strings(o, "spec.selector"))));
      case "Namespace" ->
          List.of(
              name(), text("Status", 0, o -> or(Doc.string(o, "status.phase"), "Active")), age());
      case "ConfigMap" ->
          List.of(
              name(),
              number(
                  "Data",
                  o ->
                      (long) (Doc.strings(o, "data").size() + Doc.strings(o, "binaryData").size())),
              age());
      case "Secret" ->
          List.of(
              name(),
              text("Type", 0, o -> or(Doc.string(o, "type"), "Opaque")),
              number("Data", o -> (long) Doc.strings(o, "data").size()),
              age());
      case "PersistentVolumeClaim" ->
          List.of(
              name(),
              text("Status", 0, o -> or(Doc.string(o, "status.phase"), "Pending")),
              text("Volume", 0, o -> or(Doc.string(o, "spec.volumeName"), "")),
              text("Capacity", 0, o -> or(Doc.string(o, "status.capacity.storage"), "")),
              text("Access Modes", 0, o -> accessModes(o, "status.accessModes")),
              text("StorageClass", 0, o -> or(Doc.string(o, "spec.storageClassName"), "<unset>")),
              text(
                  "VolumeAttributesClass",
                  0,
                  o -> or(Doc.string(o, "spec.volumeAttributesClassName"), "<unset>")),
              age(),
              text("VolumeMode", 1, o -> or(Doc.string(o, "spec.volumeMode"), "Filesystem")));
      case "PersistentVolume" ->
          List.of(
              name(),
              text("Capacity", 0, o -> or(Doc.string(o, "spec.capacity.storage"), "")),
              text("Access Modes", 0, o -> accessModes(o, "spec.accessModes")),
              text(
                  "Reclaim Policy",
                  0,
                  o -> or(Doc.string(o, "spec.persistentVolumeReclaimPolicy"), "Retain")),
              text("Status", 0, o -> or(Doc.string(o, "status.phase"), "Pending")),
              text("Claim", 0, Tables::claim),
              text("StorageClass", 0, o -> or(Doc.string(o, "spec.storageClassName"), "<unset>")),
              text(
                  "VolumeAttributesClass",
                  0,
                  o -> or(Doc.string(o, "spec.volumeAttributesClassName"), "<unset>")),
              text("Reason", 0, o -> or(Doc.string(o, "status.reason"), "")),
              age(),
              text("VolumeMode", 1, o -> or(Doc.string(o, "spec.volumeMode"), "Filesystem")));
      case "StorageClass" ->
          List.of(
              text("Name", 0, Tables::storageClassName),
              text("Provisioner", 0, o -> or(Doc.string(o, "provisioner"), "")),
              text("ReclaimPolicy", 0, o -> or(Doc.string(o, "reclaimPolicy"), "Delete")),
              text(
                  "VolumeBindingMode", 0, o -> or(Doc.string(o, "volumeBindingMode"), "Immediate")),
              text(
                  "AllowVolumeExpansion",
                  0,
                  o -> String.valueOf(Boolean.TRUE.equals(Doc.get(o, "allowVolumeExpansion")))),
              age());
      case "Endpoints" -> List.of(name(), text("Endpoints", 0, Tables::endpoints), age());
      case "Event" ->
          List.of(
              text(
                  "Last Seen",
                  0,
                  o ->
                      age(
                          or(
                              Doc.string(o, "lastTimestamp"),
                              Doc.string(o, "metadata.creationTimestamp")))),
              text("Type", 0, o -> or(Doc.string(o, "type"), "Normal")),
              text("Reason", 0, o -> or(Doc.string(o, "reason"), "")),
              text(
                  "Object",
                  0,
                  o ->
                      String.valueOf(Doc.string(o, "involvedObject.kind"))
                              .toLowerCase(java.util.Locale.ROOT)
                          + "/"
                          + Doc.string(o, "involvedObject.name")),
              text("Message", 0, o -> or(Doc.string(o, "message"), "")));
      case "ServiceAccount" -> List.of(name(), age());
      case "NetworkPolicy" ->
          List.of(
              name(),
              text(
                  "Pod-Selector", 0, o -> selector(Doc.strings(o, "spec.podSelector.matchLabels"))),
              age());
      default ->
          List.of(
              name(),
              new Column(
                  "Created At",
                  "date",
                  0,
                  o -> or(Doc.string(o, "metadata.creationTimestamp"), "")));
    };
  }

  private static String or(@Nullable String value, @Nullable String fallback) {
    return value == null || value.isEmpty() ? Objects.requireNonNullElse(fallback, "") : value;
  }

  private static long count(Map<String, @Nullable Object> o, String path) {
    return Doc.get(o, path) instanceof Number n ? n.longValue() : 0;
  }

  private static long desired(Map<String, @Nullable Object> o) {
    return Reconciler.replicas(o);
  }

  /** Like kubectl's HumanDuration: 45s, 3m20s, 12m, 5h3m, 2d4h, 40d. */
  static String age(@Nullable String timestamp) {
    if (timestamp == null) {
      return "<unknown>";
    }
    Duration d;
    try {
      d = Duration.between(Instant.parse(timestamp), Instant.now());
    } catch (DateTimeParseException e) {
      return "<invalid>";
    }
    long seconds = Math.max(0, d.toSeconds());
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      return minutes + "m" + (seconds % 60 == 0 ? "" : (seconds % 60) + "s");
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      return hours + "h" + (minutes % 60 == 0 ? "" : (minutes % 60) + "m");
    }
    if (hours < 48) {
      return hours + "h";
    }
    long days = hours / 24;
    if (days < 8) {
      return days + "d" + (hours % 24 == 0 ? "" : (hours % 24) + "h");
    }
    return days + "d";
  }

  private static String podReady(Map<String, @Nullable Object> pod) {
    List<Object> containers = Doc.list(pod, "spec.containers");
    long ready =
        Doc.list(pod, "status.containerStatuses").stream()
            .filter(s -> Boolean.TRUE.equals(Doc.get(s, "ready")))
            .count();
    return ready + "/" + containers.size();
  }

  private static String restarts(Map<String, @Nullable Object> pod) {
    long restarts = 0;
    for (Object status : Doc.list(pod, "status.containerStatuses")) {
      restarts += Doc.get(status, "restartCount") instanceof Number n ? n.longValue() : 0;
    }
    return String.valueOf(restarts);
  }

  /**
   * The STATUS column of kubectl get pods: a waiting reason, Init:n/m, Terminating, or the phase.
   */
  static String podStatus(Map<String, @Nullable Object> pod) {
    if (Doc.get(pod, "metadata.deletionTimestamp") != null) {
      return "Terminating";
    }
    String reason = or(Doc.string(pod, "status.reason"), Doc.string(pod, "status.phase"));
    List<Object> inits = Doc.list(pod, "status.initContainerStatuses");
    for (int i = 0; i < inits.size(); i++) {
      Object waiting = Doc.get(inits.get(i), "state.waiting.reason");
      if (waiting != null && !"PodInitializing".equals(waiting)) {
        return "Init:" + waiting;
      }
      if (Doc.get(inits.get(i), "state.terminated") == null) {
        return "Init:" + i + "/" + Doc.list(pod, "spec.initContainers").size();
      }
    }
    for (Object status : Doc.list(pod, "status.containerStatuses")) {
      Object waiting = Doc.get(status, "state.waiting.reason");
      if (waiting != null) {
        reason = String.valueOf(waiting);
      } else if (Doc.get(status, "state.terminated.reason") != null) {
        reason = String.valueOf(Doc.get(status, "state.terminated.reason"));
      }
    }
    return reason.isEmpty() ? "Pending" : reason;
  }

  private static String nodeStatus(Map<String, @Nullable Object> node) {
    String status = "Unknown";
    for (Object condition : Doc.list(node, "status.conditions")) {
      if ("Ready".equals(Doc.get(condition, "type"))) {
        status = "True".equals(Doc.get(condition, "status")) ? "Ready" : "NotReady";
      }
    }
    if (Boolean.TRUE.equals(Doc.get(node, "spec.unschedulable"))) {
      status += ",SchedulingDisabled";
    }
    return status;
  }

  private static String roles(Map<String, @Nullable Object> node) {
    List<String> roles = new ArrayList<>();
    Doc.strings(node, "metadata.labels")
        .forEach(
            (k, v) -> {
              if (k.startsWith("node-role.kubernetes.io/")) {
                roles.add(k.substring("node-role.kubernetes.io/".length()));
              }
            });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(Map<String, @Nullable Object> node, String type) {
    for (Object address : Doc.list(node, "status.addresses")) {
      if (type.equals(Doc.get(address, "type"))) {
        return String.valueOf(Doc.get(address, "address"));
      }
    }
    return "<none>";
  }

  private static String containers(Map<String, @Nullable Object> o, String field) {
    List<String> values = new ArrayList<>();
    for (Object container : Doc.list(o, "spec.template.spec.containers")) {
      values.add(String.valueOf(Doc.get(container, field)));
    }
    return String.join(",", values);
  }

  private static String selector(Map<String, String> labels) {
    if (labels.isEmpty()) {
      return "<none>";
    }
    List<String> pairs = new ArrayList<>();
    labels.forEach((k, v) -> pairs.add(k + "=" + v));
    return String.join(",", pairs);
  }

  private static String externalIp(Map<String, @Nullable Object> service) {
    String type = or(Doc.string(service, "spec.type"), "ClusterIP");
    List<String> ips = new ArrayList<>();
    for (Object ip : Doc.list(service, "spec.externalIPs")) {
      ips.add(String.valueOf(ip));
    }
    if (type.equals("LoadBalancer")) {
      for (Object ingress : Doc.list(service, "status.loadBalancer.ingress")) {
        ips.add(
            String.valueOf(
                Doc.get(ingress, "ip") != null
                    ? Doc.get(ingress, "ip")
                    : Doc.get(ingress, "hostname")));
      }
      return ips.isEmpty() ? "<pending>" : String.join(",", ips);
    }
    if (type.equals("ExternalName")) {
      return or(Doc.string(service, "spec.externalName"), "<none>");
    }
    return ips.isEmpty() ? "<none>" : String.join(",", ips);
  }

  private static String ports(Map<String, @Nullable Object> service) {
    List<String> ports = new ArrayList<>();
    for (Object port : Doc.list(service, "spec.ports")) {
      String text = String.valueOf(Doc.get(port, "port"));
      if (Doc.get(port, "nodePort") instanceof Number nodePort && nodePort.longValue() > 0) {
        text += ":" + nodePort;
      }
      ports.add(text + "/" + or((String) Doc.get(port, "protocol"), "TCP"));
    }
    return ports.isEmpty() ? "<none>" : String.join(",", ports);
  }

  private static String accessModes(Map<String, @Nullable Object> o, String path) {
    List<String> modes = new ArrayList<>();
    for (Object mode : Doc.list(o, path)) {
      modes.add(
          switch (String.valueOf(mode)) {
            case "ReadWriteOnce" -> "RWO";
            case "ReadOnlyMany" -> "ROX";
            case "ReadWriteMany" -> "RWX";
            case "ReadWriteOncePod" -> "RWOP";
            default -> String.valueOf(mode);
          });
    }
    return String.join(",", modes);
  }

  private static String claim(Map<String, @Nullable Object> pv) {
    String name = Doc.string(pv, "spec.claimRef.name");
    return name == null ? "" : Doc.string(pv, "spec.claimRef.namespace") + "/" + name;
  }

  private static String storageClassName(Map<String, @Nullable Object> o) {
    String name = String.valueOf(Doc.string(o, "metadata.name"));
    return "true"
            .equals(
                Doc.strings(o, "metadata.annotations")
                    .get("storageclass.kubernetes.io/is-default-class"))
        ? name + " (default)"
        : name;
  }

  private static String endpoints(Map<String, @Nullable Object> o) {
    List<String> addresses = new ArrayList<>();
    for (Object subset : Doc.list(o, "subsets")) {
      for (Object address : Doc.list(subset, "addresses")) {
        for (Object port : Doc.list(subset, "ports")) {
          addresses.add(Doc.get(address, "ip") + ":" + Doc.get(port, "port"));
        }
      }
    }
    if (addresses.isEmpty()) {
      return "<none>";
    }
    return addresses.size() > 3
        ? String.join(",", addresses.subList(0, 3)) + " + " + (addresses.size() - 3) + " more..."
        : String.join(",", addresses);
  }
}
