package dev.devkube.recipes;

import dev.devkube.ConflictException;
import dev.devkube.Progress;
import dev.devkube.ProgressListener;
import dev.devkube.WaitTimeoutException;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Applying a recipe's objects and waiting for them, with messages that say why a wait failed. */
final class Rollout {
  private final KubeClient kube;
  private final RecipeContext context;
  private final Duration timeout;
  private final ProgressListener listener;
  private final long start = System.nanoTime();

  Rollout(KubeClient kube, RecipeContext context, Duration timeout, ProgressListener listener) {
    this.kube = kube;
    this.context = context;
    this.timeout = timeout;
    this.listener = listener;
  }

  /** Server-side applies each object under the field manager {@code devkube}. */
  List<KubeObject> apply(List<KubeObject> objects) {
    List<KubeObject> applied = new ArrayList<>();
    for (KubeObject object : objects) {
      applied.add(kube.resource(object).apply());
    }
    return applied;
  }

  void report(String what, String state) {
    listener.progress(
        new Progress(what, state, null, 0, 0, Duration.ofNanos(System.nanoTime() - start)));
  }

  /**
   * Refuses, before anything is applied, a claim whose storage class the cluster does not have;
   * {@code setter} names the option that changes it, such as {@code
   * NfsServer.create().storageClass(...)}.
   */
  void requireStorageClass(KubeObject claim, String setter) {
    String className = claim.getString("spec.storageClassName");
    if (className != null
        && kube.resource(KubeObject.of("storage.k8s.io/v1", "StorageClass", className))
            .get()
            .isEmpty()) {
      throw new IllegalStateException(
          "PVC "
              + claim.name()
              + " would stay Pending: no storage class \""
              + className
              + "\" in this cluster (it has "
              + String.join(", ", kube.resources("storage.k8s.io/v1", "StorageClass").names())
              + "): set"
              + " "
              + setter
              + ", or null for the default class");
    }
  }

  /** Waits for the claim to be bound. */
  void awaitBound(KubeObject claim) {
    report("PVC " + claim.name() + " to be bound", "waiting");
    kube.resource(claim).waitUntil(Conditions.pvcBound(), timeout);
  }

  /** Waits for the Deployment to be available; on timeout, says what its pods are doing. */
  KubeObject awaitAvailable(KubeObject deployment) {
    report("Deployment " + deployment.name() + " to be available", "waiting");
    try {
      return kube.resource(deployment).waitUntil(Conditions.deploymentAvailable(), timeout);
    } catch (WaitTimeoutException e) {
      throw new WaitTimeoutException(e.awaited(), e.timeout(), podStates(deployment));
    }
  }

  private String podStates(KubeObject deployment) {
    Map<String, String> selector =
        context.selector(String.valueOf(deployment.getString("spec.selector.matchLabels.role")));
    List<String> states = new ArrayList<>();
    for (KubeObject pod :
        kube.resources("v1", "Pod").inNamespace(context.namespace()).withLabels(selector).list()) {
      states.add(deployment.name() + " pod " + pod.name() + " is " + podState(pod));
    }
    return states.isEmpty() ? "no pods yet" : String.join("; ", states);
  }

  /**
   * Writes a credentials Secret unless it exists: a stored password is kept, because the server it
   * belongs to keeps it too (a database keeps the one its data was made with).
   *
   * @param given the password the caller gave, or null when {@code secret} holds a generated one
   * @return whether this call wrote the Secret (so the password in it is news to the caller)
   * @throws IllegalStateException when the Secret holds a password other than {@code given}
   */
  boolean ensureSecret(KubeObject secret, @Nullable String given) {
    KubeObject stored = kube.resource(secret).get().orElse(null);
    if (stored == null) {
      try {
        kube.resource(secret).create();
        return true;
      } catch (ConflictException e) {
        return false; // made by a deploy running at the same time: theirs stands
      }
    }
    String storedPassword = stored.getString("data.password");
    if (given != null
        && (storedPassword == null
            || !given.equals(
                new String(Base64.getDecoder().decode(storedPassword), StandardCharsets.UTF_8)))) {
      throw new IllegalStateException(
          "Secret "
              + secret.name()
              + " in namespace "
              + context.namespace()
              + " already holds another password, which the running server uses: to change it, delete the"
              + " Secret and the server's pod (and, for Postgres, ALTER USER in the database), then deploy again");
    }
    return false;
  }

  /** The decoded value of {@code key} in the Secret {@code name}, as stored now. */
  String storedValue(String name, String key) {
    KubeObject secret =
        kube.resource(KubeObject.of("v1", "Secret", name).namespace(context.namespace()))
            .get()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "Secret " + name + " in namespace " + context.namespace() + " is gone"));
    String value = secret.getString("data[\"" + key + "\"]");
    if (value == null) {
      throw new IllegalStateException(
          "Secret " + name + " in namespace " + context.namespace() + " has no key " + key);
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  /** {@code ImagePullBackOff: registry/image:tag} when a container waits, else the phase. */
  private static String podState(KubeObject pod) {
    for (Object status : pod.getList("status.initContainerStatuses")) {
      KubeObject s = KubeObject.from((Map<?, ?>) status);
      String reason = s.getString("state.waiting.reason");
      if (reason != null) {
        return "waiting for init container "
            + s.getString("name")
            + ", "
            + reason
            + ": "
            + s.getString("image");
      }
      Long exit = s.getLong("state.terminated.exitCode");
      if (exit != null && exit != 0) {
        String message = s.getString("state.terminated.message");
        return "failing in init container "
            + s.getString("name")
            + " (exit "
            + exit
            + ")"
            + (message == null ? "" : ": " + message.strip());
      }
    }
    for (Object status : pod.getList("status.containerStatuses")) {
      KubeObject s = KubeObject.from((Map<?, ?>) status);
      String reason = s.getString("state.waiting.reason");
      if (reason != null) {
        return reason + ": " + s.getString("image");
      }
    }
    return String.valueOf(pod.getString("status.phase"));
  }

  /**
   * The node ports other Services hold (one listing of every namespace), each with who holds it;
   * {@code ours} (this environment's Services in its namespace) do not count.
   */
  Map<Integer, String> takenNodePorts(String... ours) {
    Map<Integer, String> taken = new java.util.HashMap<>();
    List<String> ourNames = List.of(ours);
    for (KubeObject service : kube.resources("v1", "Service").inAnyNamespace().list()) {
      if (context.namespace().equals(service.namespace()) && ourNames.contains(service.name())) {
        continue;
      }
      for (Object port : service.getList("spec.ports")) {
        Object nodePort = ((Map<?, ?>) port).get("nodePort");
        if (nodePort instanceof Number number) {
          taken.put(
              number.intValue(),
              "Service " + service.name() + " in namespace " + service.namespace());
        }
      }
    }
    return taken;
  }

  /**
   * The node port to use: {@code wanted}, unless {@code taken} holds it; then the next free one
   * when {@code choose}, else an error naming the Service that holds it.
   */
  static int nodePort(int wanted, String serviceName, boolean choose, Map<Integer, String> taken) {
    if (!taken.containsKey(wanted)) {
      return wanted;
    }
    if (!choose) {
      throw new IllegalStateException(
          wanted
              + " is used by "
              + taken.get(wanted)
              + ": give "
              + serviceName
              + " another node port, or call autoNodePorts() to let devkube pick a free one");
    }
    for (int port = wanted + 1; port != wanted; port = port >= 32767 ? 30000 : port + 1) {
      if (!taken.containsKey(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free node port is left in 30000-32767");
  }

  /** The InternalIPs of every node: where kubelets mount NFS shares from. */
  static List<String> nodeAddresses(KubeClient kube) {
    List<String> addresses = new ArrayList<>();
    for (KubeObject node : kube.resources("v1", "Node").list()) {
      for (Object address : node.getList("status.addresses")) {
        Map<?, ?> a = (Map<?, ?>) address;
        if ("InternalIP".equals(a.get("type"))) {
          addresses.add(String.valueOf(a.get("address")));
        }
      }
    }
    return addresses;
  }

  /** ExternalIPs of Ready nodes; InternalIPs (with a warning) when no node has an external one. */
  static List<String> accessIps(KubeClient kube, List<String> warnings) {
    List<String> external = new ArrayList<>();
    List<String> internal = new ArrayList<>();
    for (KubeObject node : kube.resources("v1", "Node").list()) {
      boolean ready =
          node.getList("status.conditions").stream()
              .anyMatch(
                  c ->
                      c instanceof Map
                          && "Ready".equals(((Map<?, ?>) c).get("type"))
                          && "True".equals(((Map<?, ?>) c).get("status")));
      if (!ready) {
        continue;
      }
      for (Object address : node.getList("status.addresses")) {
        Map<?, ?> a = (Map<?, ?>) address;
        if ("ExternalIP".equals(a.get("type"))) {
          external.add(String.valueOf(a.get("address")));
        } else if ("InternalIP".equals(a.get("type"))) {
          internal.add(String.valueOf(a.get("address")));
        }
      }
    }
    if (!external.isEmpty()) {
      return external;
    }
    if (!internal.isEmpty()) {
      warnings.add(
          "no node has an external IP (kind, minikube?): using internal IPs "
              + internal
              + ", reachable only from the nodes' network");
    } else {
      warnings.add("no Ready node has an address: the environment is not reachable yet");
    }
    return internal;
  }
}
