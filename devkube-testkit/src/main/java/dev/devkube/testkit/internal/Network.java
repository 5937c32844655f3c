package dev.devkube.testkit.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a name or address inside the fake cluster reaches, as cluster DNS and kube-proxy would: a
 * Service (by cluster IP, {@code name}, {@code name.ns}, {@code name.ns.svc} or {@code
 * name.ns.svc.cluster.local}; a bare name from the caller's namespace) leads to a running pod it
 * selects, its port to the target port; a pod IP leads to its pod. NetworkPolicies are not
 * enforced.
 */
final class Network {
  private final Store store;
  private final Kinds kinds;

  Network(Store store, Kinds kinds) {
    this.store = store;
    this.kinds = kinds;
  }

  /** Where a connection lands: the pod and its port. */
  record Endpoint(Map<String, @Nullable Object> pod, int port) {}

  private Kinds.Kind kind(String kind) {
    return Objects.requireNonNull(kinds.byKind("v1", kind), kind);
  }

  /** Whether the name resolves (a Service or a pod IP answers to it). */
  boolean resolves(String host, String fromNamespace) {
    return service(host, fromNamespace) != null || podByIp(host) != null;
  }

  /** The pod and port a connection to {@code host:port} reaches, or null when refused. */
  @Nullable Endpoint connect(String host, int port, String fromNamespace) {
    Map<String, @Nullable Object> service = service(host, fromNamespace);
    if (service == null) {
      Map<String, @Nullable Object> pod = podByIp(host);
      return pod == null ? null : new Endpoint(pod, port);
    }
    Map<String, @Nullable Object> pod = selected(service);
    if (pod == null) {
      return null;
    }
    for (Object p : Doc.list(service, "spec.ports")) {
      if (!(Doc.get(p, "port") instanceof Number n) || n.intValue() != port) {
        continue;
      }
      Object target = Doc.get(p, "targetPort");
      if (target instanceof Number number) {
        return new Endpoint(pod, number.intValue());
      }
      if (target instanceof String name) {
        for (Object c : Doc.list(pod, "spec.containers")) {
          for (Object cp : Doc.list(c, "ports")) {
            if (name.equals(Doc.string(cp, "name"))
                && Doc.get(cp, "containerPort") instanceof Number containerPort) {
              return new Endpoint(pod, containerPort.intValue());
            }
          }
        }
        return null;
      }
      return new Endpoint(pod, port);
    }
    return null; // the Service has no such port
  }

  /** The running pod behind a Service or pod address, for what is not port-specific (NFS). */
  @Nullable Map<String, @Nullable Object> pod(String host) {
    Map<String, @Nullable Object> service = service(host, "");
    return service != null ? selected(service) : podByIp(host);
  }

  private @Nullable Map<String, @Nullable Object> service(String address, String fromNamespace) {
    String host = address.toLowerCase(Locale.ROOT);
    for (Map<String, @Nullable Object> s : store.list(kind("Service"), null, o -> true)) {
      String name = Doc.string(s, "metadata.name");
      String ns = Doc.string(s, "metadata.namespace");
      if (host.equals(Doc.string(s, "spec.clusterIP"))
          || (host.equals(name) && fromNamespace.equals(ns))
          || host.equals(name + "." + ns)
          || host.equals(name + "." + ns + ".svc")
          || host.equals(name + "." + ns + ".svc.cluster.local")) {
        return s;
      }
    }
    return null;
  }

  private @Nullable Map<String, @Nullable Object> selected(Map<String, @Nullable Object> service) {
    Map<String, String> selector = Doc.strings(service, "spec.selector");
    String ns = Doc.string(service, "metadata.namespace");
    if (selector.isEmpty()) {
      return null;
    }
    List<Map<String, @Nullable Object>> pods = store.list(kind("Pod"), ns, o -> true);
    for (Map<String, @Nullable Object> p : pods) {
      if (Doc.strings(p, "metadata.labels").entrySet().containsAll(selector.entrySet())
          && Doc.string(p, "metadata.deletionTimestamp") == null
          && "Running".equals(Doc.string(p, "status.phase"))) {
        return p;
      }
    }
    return null;
  }

  private @Nullable Map<String, @Nullable Object> podByIp(String host) {
    for (Map<String, @Nullable Object> p : store.list(kind("Pod"), null, o -> true)) {
      if (host.equals(Doc.string(p, "status.podIP"))) {
        return p;
      }
    }
    return null;
  }
}
