package dev.devkube.testkit.internal;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What the fake API server checks and fills in before storing: names, the required fields of the
 * kinds the recipes use, base64 Secret data, and Service cluster IPs and node ports (a taken node
 * port is refused with the real server's message).
 */
public final class Admission {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final int NODE_PORT_MIN = 30000;
  private static final int NODE_PORT_MAX = 32767;

  private final Store store;
  private final Kinds kinds;
  private int nextClusterIp = 10;
  private int nextNodePort = NODE_PORT_MIN + 1000;

  public Admission(Store store, Kinds kinds) {
    this.store = store;
    this.kinds = kinds;
  }

  /** The entities a Cilium rule may name (Cilium's policy language, "Entities based"). */
  private static final Set<String> CILIUM_ENTITIES =
      Set.of(
          "all",
          "world",
          "world-ipv4",
          "world-ipv6",
          "cluster",
          "host",
          "remote-node",
          "kube-apiserver",
          "ingress",
          "health",
          "init",
          "unmanaged",
          "none");

  private static final Pattern CILIUM_PORT = Pattern.compile("[0-9]{1,5}|[a-z0-9]([-a-z0-9]*)?");

  /**
   * What the CRD's schema refuses in a Cilium policy: no spec (or specs), a rule without an
   * endpoint (or node) selector, an unknown entity, a port that is not a string of digits or a
   * name, an unknown protocol.
   */
  private static void cilium(
      Map<String, @Nullable Object> object, List<Map<String, @Nullable Object>> causes) {
    List<Object> rules = new ArrayList<>();
    if (Doc.get(object, "spec") != null) {
      rules.add(Doc.get(object, "spec"));
    }
    rules.addAll(Doc.list(object, "specs"));
    if (rules.isEmpty()) {
      causes.add(Status.cause("FieldValueRequired", "spec", "Required value"));
    }
    for (Object rule : rules) {
      if (Doc.get(rule, "endpointSelector") == null && Doc.get(rule, "nodeSelector") == null) {
        causes.add(
            Status.cause(
                "FieldValueRequired",
                "spec.endpointSelector",
                "Required value: a rule selects endpoints or nodes"));
      }
      for (String direction : new String[] {"ingress", "egress", "ingressDeny", "egressDeny"}) {
        for (Object item : Doc.list(rule, direction)) {
          for (String key : new String[] {"fromEntities", "toEntities"}) {
            for (Object entity : Doc.list(item, key)) {
              if (!CILIUM_ENTITIES.contains(String.valueOf(entity))) {
                causes.add(
                    Status.cause(
                        "FieldValueNotSupported",
                        "spec." + direction + "." + key,
                        "Unsupported value: \""
                            + entity
                            + "\": supported values: "
                            + new java.util.TreeSet<>(CILIUM_ENTITIES)));
              }
            }
          }
          for (Object toPorts : Doc.list(item, "toPorts")) {
            for (Object port : Doc.list(toPorts, "ports")) {
              Object number = Doc.get(port, "port");
              if (!(number instanceof String text) || !CILIUM_PORT.matcher(text).matches()) {
                causes.add(
                    Status.cause(
                        "FieldValueInvalid",
                        "spec." + direction + ".toPorts.ports.port",
                        "Invalid value: "
                            + (number instanceof String ? "\"" + number + "\"" : number)
                            + ": must be a string of digits or a port name"));
              }
              Object protocol = Doc.get(port, "protocol");
              if (protocol != null
                  && !Set.of("TCP", "UDP", "SCTP", "ICMP", "ICMPV6", "VRRP", "IGMP", "ANY")
                      .contains(String.valueOf(protocol))) {
                causes.add(
                    Status.cause(
                        "FieldValueNotSupported",
                        "spec." + direction + ".toPorts.ports.protocol",
                        "Unsupported value: \"" + protocol + "\""));
              }
            }
          }
        }
      }
    }
  }

  /** Checks {@code object} (about to be stored) and fills in what the server would. */
  public synchronized void admit(
      Kinds.Kind kind,
      Map<String, @Nullable Object> object,
      Map<String, @Nullable Object> existing) {
    String name = String.valueOf(Doc.string(object, "metadata.name"));
    List<Map<String, @Nullable Object>> causes = new ArrayList<>();
    boolean labelName = kind.kind().equals("Service") || kind.kind().equals("Namespace");
    if (name.length() > (labelName ? 63 : 253)
        || !(labelName ? LABEL : SUBDOMAIN).matcher(name).matches()) {
      if (!kind.group().equals("rbac.authorization.k8s.io")) {
        causes.add(
            Status.cause(
                "FieldValueInvalid",
                "metadata.name",
                "Invalid value: \""
                    + name
                    + "\": a lowercase RFC 1123 "
                    + (labelName ? "label" : "subdomain")
                    + " must consist of lower"
                    + " case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
      }
    }
    switch (kind.kind()) {
      case "Deployment" -> deployment(object, causes);
      case "Service" -> service(object, existing, causes);
      case "Secret" -> secret(object, causes);
      case "PersistentVolumeClaim" -> {
        if (Doc.get(object, "spec.resources.requests.storage") == null) {
          causes.add(
              Status.cause("FieldValueRequired", "spec.resources[storage]", "Required value"));
        }
        if (Doc.list(object, "spec.accessModes").isEmpty()) {
          causes.add(
              Status.cause(
                  "FieldValueRequired",
                  "spec.accessModes",
                  "Required value: at least 1 access mode is required"));
        }
      }
      case "CiliumNetworkPolicy", "CiliumClusterwideNetworkPolicy" -> cilium(object, causes);
      default -> {}
    }
    if (!causes.isEmpty()) {
      throw Status.invalid(kind.kind(), name, causes);
    }
  }

  private static void deployment(
      Map<String, @Nullable Object> object, List<Map<String, @Nullable Object>> causes) {
    Map<String, String> selector = Doc.strings(object, "spec.selector.matchLabels");
    Map<String, String> labels = Doc.strings(object, "spec.template.metadata.labels");
    if (selector.isEmpty()) {
      causes.add(Status.cause("FieldValueRequired", "spec.selector", "Required value"));
    } else if (!labels.entrySet().containsAll(selector.entrySet())) {
      causes.add(
          Status.cause(
              "FieldValueInvalid",
              "spec.template.metadata.labels",
              "Invalid value: " + labels + ": `selector` does not match template `labels`"));
    }
    List<Object> containers = Doc.list(object, "spec.template.spec.containers");
    if (containers.isEmpty()) {
      causes.add(
          Status.cause("FieldValueRequired", "spec.template.spec.containers", "Required value"));
    }
    for (int i = 0; i < containers.size(); i++) {
      if (Doc.get(containers.get(i), "name") == null) {
        causes.add(
            Status.cause(
                "FieldValueRequired",
                "spec.template.spec.containers[" + i + "].name",
                "Required value"));
      }
      if (Doc.get(containers.get(i), "image") == null) {
        causes.add(
            Status.cause(
                "FieldValueRequired",
                "spec.template.spec.containers[" + i + "].image",
                "Required value"));
      }
    }
  }

  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  /**
   * A Secret's data must be base64 under keys of {@code [-._a-zA-Z0-9]+}; {@code stringData} is
   * write-only: merged into {@code data} (its values winning), never stored or read back.
   */
  @SuppressWarnings("unchecked")
  private static void secret(
      Map<String, @Nullable Object> object, List<Map<String, @Nullable Object>> causes) {
    Object stringData = object.remove("stringData");
    if (stringData instanceof Map<?, ?> plain && !plain.isEmpty()) {
      Object data = object.get("data");
      Map<String, @Nullable Object> merged =
          data instanceof Map<?, ?> ? (Map<String, @Nullable Object>) data : Doc.obj();
      plain.forEach(
          (key, value) ->
              merged.put(
                  String.valueOf(key),
                  Base64.getEncoder()
                      .encodeToString(
                          String.valueOf(value)
                              .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      object.put("data", merged);
    }
    for (String key : Doc.strings(object, "data").keySet()) {
      if (!SECRET_KEY.matcher(key).matches()) {
        causes.add(
            Status.cause(
                "FieldValueInvalid",
                "data[" + key + "]",
                "Invalid value: \""
                    + key
                    + "\": a valid config key must consist of alphanumeric characters, '-', '_'"
                    + " or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for"
                    + " validation is '[-._a-zA-Z0-9]+')"));
      }
    }
    Doc.strings(object, "data")
        .forEach(
            (key, value) -> {
              try {
                Base64.getDecoder().decode(value);
              } catch (IllegalArgumentException e) {
                causes.add(
                    Status.cause(
                        "FieldValueInvalid",
                        "data[" + key + "]",
                        "Invalid value: illegal base64 data"));
              }
            });
  }

  @SuppressWarnings("unchecked")
  private void service(
      Map<String, @Nullable Object> object,
      Map<String, @Nullable Object> existing,
      List<Map<String, @Nullable Object>> causes) {
    List<Object> ports = Doc.list(object, "spec.ports");
    String type =
        String.valueOf(
            Doc.string(object, "spec.type") == null
                ? "ClusterIP"
                : Doc.string(object, "spec.type"));
    if (ports.isEmpty() && !type.equals("ExternalName")) {
      causes.add(Status.cause("FieldValueRequired", "spec.ports", "Required value"));
      return;
    }
    Map<String, @Nullable Object> spec = Doc.map(object, "spec");
    spec.putIfAbsent("type", type);
    String clusterIp = Doc.string(object, "spec.clusterIP");
    String previousIp = Doc.string(existing, "spec.clusterIP");
    if (clusterIp == null || clusterIp.isEmpty()) {
      spec.put("clusterIP", previousIp != null ? previousIp : "10.96.0." + nextClusterIp++);
    }
    if (!"None".equals(spec.get("clusterIP"))) {
      spec.put("clusterIPs", List.of(spec.get("clusterIP")));
    }
    Set<Long> taken =
        takenNodePorts(
            Doc.string(object, "metadata.namespace"), Doc.string(object, "metadata.name"));
    List<Object> previousPorts = Doc.list(existing, "spec.ports");
    for (int i = 0; i < ports.size(); i++) {
      Map<String, @Nullable Object> port = (Map<String, @Nullable Object>) ports.get(i);
      if (port.get("port") == null) {
        causes.add(
            Status.cause("FieldValueRequired", "spec.ports[" + i + "].port", "Required value"));
        continue;
      }
      port.putIfAbsent("protocol", "TCP");
      port.putIfAbsent("targetPort", port.get("port"));
      if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
        continue;
      }
      Object asked = port.get("nodePort");
      if (asked == null) {
        Object before = i < previousPorts.size() ? Doc.get(previousPorts.get(i), "nodePort") : null;
        long chosen = before instanceof Number number ? number.longValue() : allocate(taken);
        port.put("nodePort", chosen);
        taken.add(chosen);
        continue;
      }
      long nodePort = ((Number) asked).longValue();
      if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
        causes.add(
            Status.cause(
                "FieldValueInvalid",
                "spec.ports[" + i + "].nodePort",
                "Invalid value: "
                    + nodePort
                    + ": provided port is not in the valid range. The range of valid ports is "
                    + NODE_PORT_MIN
                    + "-"
                    + NODE_PORT_MAX));
      } else if (taken.contains(nodePort)) {
        causes.add(
            Status.cause(
                "FieldValueInvalid",
                "spec.ports[" + i + "].nodePort",
                "Invalid value: " + nodePort + ": provided port is already allocated"));
      } else {
        taken.add(nodePort);
      }
    }
  }

  private long allocate(Set<Long> taken) {
    for (int tries = 0; tries <= NODE_PORT_MAX - NODE_PORT_MIN; tries++) {
      long candidate = nextNodePort++;
      if (nextNodePort > NODE_PORT_MAX) {
        nextNodePort = NODE_PORT_MIN;
      }
      if (!taken.contains(candidate)) {
        return candidate;
      }
    }
    throw new Status(500, "InternalError", "no node ports left", Doc.obj());
  }

  /** Node ports used by every other Service, in any namespace. */
  private Set<Long> takenNodePorts(@Nullable String namespace, @Nullable String name) {
    Set<Long> taken = new HashSet<>();
    Kinds.Kind services = kinds.byKind("v1", "Service");
    if (services == null) {
      return taken;
    }
    for (Map<String, @Nullable Object> service : store.list(services, null, o -> true)) {
      if (String.valueOf(namespace).equals(Doc.string(service, "metadata.namespace"))
          && String.valueOf(name).equals(Doc.string(service, "metadata.name"))) {
        continue;
      }
      for (Object port : Doc.list(service, "spec.ports")) {
        Object nodePort = Doc.get(port, "nodePort");
        if (nodePort instanceof Number number) {
          taken.add(number.longValue());
        }
      }
    }
    return taken;
  }
}
