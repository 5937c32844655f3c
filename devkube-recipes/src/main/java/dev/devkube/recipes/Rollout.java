package dev.devkube.recipes;

import dev.devkube.AuthenticationException;
import dev.devkube.ConflictException;
import dev.devkube.Progress;
import dev.devkube.ProgressListener;
import dev.devkube.WaitFailedException;
import dev.devkube.WaitTimeoutException;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.UnknownKindException;
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
  void requireStorageClass(KubeObject claim, String setter, List<String> warnings) {
    String className = claim.getString("spec.storageClassName");
    if (className == null) {
      return;
    }
    boolean missing;
    try {
      missing =
          kube.resource(KubeObject.of("storage.k8s.io/v1", "StorageClass", className))
              .get()
              .isEmpty();
    } catch (AuthenticationException e) {
      if (!e.isForbidden()) {
        throw e;
      }
      warnings.add(
          "storage class \""
              + className
              + "\" not checked (no right to read StorageClasses): a claim of a class the cluster"
              + " lacks stays Pending");
      return;
    }
    if (missing) {
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

  /** Whether the namespace exists; true when the user may not read Namespaces (it must, then). */
  boolean namespaceExists(List<String> warnings) {
    try {
      return kube.resource(KubeObject.of("v1", "Namespace", context.namespace())).get().isPresent();
    } catch (AuthenticationException e) {
      if (!e.isForbidden()) {
        throw e;
      }
      return true; // a namespace-scoped user's namespace exists: someone gave them rights in it
    }
  }

  /** The object as stored now, or null. */
  @Nullable KubeObject stored(KubeObject object) {
    return kube.resource(object).get().orElse(null);
  }

  /** Refuses a given password other than the one {@code stored} holds (and its server uses). */
  void requireSamePassword(KubeObject stored, @Nullable String given) {
    String storedPassword = stored.getString("data.password");
    if (given != null
        && (storedPassword == null
            || !given.equals(
                new String(Base64.getDecoder().decode(storedPassword), StandardCharsets.UTF_8)))) {
      throw new IllegalStateException(
          "Secret "
              + stored.name()
              + " in namespace "
              + context.namespace()
              + " already holds another password, which the running server uses: to change it,"
              + " delete the Secret and the server's pod (and, for Postgres, ALTER USER in the"
              + " database), then deploy again");
    }
  }

  /**
   * Whether the user may {@code verb} {@code resource} of {@code group} in the environment's
   * namespace ({@code namespaced}) or cluster-wide: the API server's own answer to a
   * SelfSubjectAccessReview, which every authenticated user may create.
   */
  boolean allowed(String verb, String group, String resource, boolean namespaced) {
    Map<String, Object> attributes = new java.util.LinkedHashMap<>();
    attributes.put("verb", verb);
    attributes.put("group", group);
    attributes.put("resource", resource);
    if (namespaced) {
      attributes.put("namespace", context.namespace());
    }
    KubeObject review =
        kube.resource(
                KubeObject.of("authorization.k8s.io/v1", "SelfSubjectAccessReview", "devkube")
                    .set("spec.resourceAttributes", attributes))
            .create();
    return Boolean.TRUE.equals(review.get("status.allowed"));
  }

  /**
   * Sets the reclaim policy of the volume bound to {@code claim} ({@code Retain}: deleting the
   * claim keeps the volume and its files; {@code Delete}: it goes with the claim). A claim not
   * bound yet is left alone; without the right to patch persistentvolumes, a warning.
   */
  void setReclaimPolicy(KubeObject claim, String policy, List<String> warnings) {
    setReclaimPolicy(kube, claim, policy, warnings);
  }

  static void setReclaimPolicy(
      KubeClient kube, KubeObject claim, String policy, List<String> warnings) {
    KubeObject stored = kube.resource(claim).get().orElse(null);
    String volume = stored == null ? null : stored.getString("spec.volumeName");
    if (volume == null || volume.isEmpty()) {
      return;
    }
    try {
      kube.resource(KubeObject.of("v1", "PersistentVolume", volume))
          .patch(
              dev.devkube.k8s.Patch.merge(
                  Map.of("spec", Map.of("persistentVolumeReclaimPolicy", policy))));
    } catch (AuthenticationException e) {
      if (!e.isForbidden()) {
        throw e;
      }
      warnings.add(
          "the volume of claim "
              + claim.name()
              + " keeps its class's reclaim policy (no right to patch persistentvolumes): "
              + ("Retain".equals(policy)
                  ? "deleting the claim or the cluster may delete its data"
                  : "deleting the claim keeps the volume, which must be deleted by hand"));
    }
  }

  /** Whether the cluster serves Cilium's CiliumNetworkPolicy (its CNI is Cilium). */
  boolean servesCilium() {
    try {
      kube.resolve("cilium.io/v2", "CiliumNetworkPolicy");
      return true;
    } catch (UnknownKindException e) {
      return false;
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
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Duration left = Duration.ofNanos(deadline - System.nanoTime());
      Duration slice = left.compareTo(CHECK_EVERY) < 0 ? left : CHECK_EVERY;
      try {
        return kube.resource(deployment)
            .waitUntil(
                Conditions.deploymentAvailable(), slice.isNegative() ? Duration.ZERO : slice);
      } catch (WaitTimeoutException e) {
        String failure = terminalPullFailure(deployment);
        if (failure != null) {
          throw new WaitFailedException(
              "Deployment " + context.namespace() + "/" + deployment.name() + " to be available",
              "ImagePullBackOff",
              failure);
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new WaitTimeoutException(e.awaited(), timeout, podStates(deployment));
        }
      }
    }
  }

  /** How often a wait looks at the pods for a failure no wait can outlast. */
  private static final Duration CHECK_EVERY = Duration.ofSeconds(3);

  /** Words of a registry's answer that mean the image will never be pulled as it is named. */
  private static final List<String> TERMINAL_PULL =
      List.of(
          "not found",
          "manifest unknown",
          "unauthorized",
          "pull access denied",
          "insufficient_scope",
          "repository does not exist");

  /**
   * Why a pod of the Deployment can never pull an image (an invalid name, or the registry's "not
   * found", "manifest unknown" or "unauthorized"), from the container's status or the kubelet's
   * events; null when no pull failed for good.
   */
  private @Nullable String terminalPullFailure(KubeObject deployment) {
    for (KubeObject pod : pods(deployment)) {
      List<Object> statuses = new ArrayList<>(pod.getList("status.initContainerStatuses"));
      statuses.addAll(pod.getList("status.containerStatuses"));
      for (Object status : statuses) {
        KubeObject s = KubeObject.from((Map<?, ?>) status);
        String reason = s.getString("state.waiting.reason");
        String image = s.getString("image");
        if ("InvalidImageName".equals(reason)) {
          return "image " + image + " is not a valid reference";
        }
        if (!"ErrImagePull".equals(reason) && !"ImagePullBackOff".equals(reason)) {
          continue;
        }
        List<String> said = new ArrayList<>();
        said.add(String.valueOf(s.getString("state.waiting.message")));
        for (KubeObject event : kube.events(pod)) {
          if ("Failed".equals(event.getString("reason"))) {
            said.add(String.valueOf(event.getString("message")));
          }
        }
        for (int i = said.size() - 1; i >= 0; i--) {
          String message = said.get(i);
          String lower = message.toLowerCase(java.util.Locale.ROOT);
          if (TERMINAL_PULL.stream().anyMatch(lower::contains)) {
            return "pod " + pod.name() + " cannot pull " + image + ": " + message;
          }
        }
      }
    }
    return null;
  }

  private List<KubeObject> pods(KubeObject deployment) {
    Map<String, String> selector =
        context.selector(String.valueOf(deployment.getString("spec.selector.matchLabels.role")));
    return kube.resources("v1", "Pod")
        .inNamespace(context.namespace())
        .withLabels(selector)
        .list()
        .toList();
  }

  private String podStates(KubeObject deployment) {
    List<String> states = new ArrayList<>();
    for (KubeObject pod : pods(deployment)) {
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
    requireSamePassword(stored, given);
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
  Map<Integer, String> takenNodePorts(List<String> warnings, String... ours) {
    Map<Integer, String> taken = new java.util.HashMap<>();
    List<String> ourNames = List.of(ours);
    List<KubeObject> services;
    try {
      services = kube.resources("v1", "Service").inAnyNamespace().list().toList();
    } catch (AuthenticationException e) {
      if (!e.isForbidden()) {
        throw e;
      }
      warnings.add(
          "node ports checked in namespace "
              + context.namespace()
              + " only (no right to list Services in all namespaces): a port another namespace"
              + " holds is refused by the API server when its Service is applied");
      services = kube.resources("v1", "Service").inNamespace(context.namespace()).list().toList();
    }
    for (KubeObject service : services) {
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

  /** The InternalIPs of every node (where kubelets mount NFS shares from); none when forbidden. */
  List<String> nodeAddresses(List<String> warnings) {
    List<String> addresses = new ArrayList<>();
    for (KubeObject node : nodes(kube, warnings)) {
      for (Object address : node.getList("status.addresses")) {
        Map<?, ?> a = (Map<?, ?>) address;
        if ("InternalIP".equals(a.get("type"))) {
          addresses.add(String.valueOf(a.get("address")));
        }
      }
    }
    return addresses;
  }

  static final String NODES_FORBIDDEN =
      "the nodes' addresses are unknown (no right to list Nodes): the ssh command and URLs name"
          + " <no node address>; kubectl get nodes -o wide as someone who may";

  /** Every node; none, with a warning, when the user may not list them. */
  private static List<KubeObject> nodes(KubeClient kube, List<String> warnings) {
    try {
      return kube.resources("v1", "Node").list().toList();
    } catch (AuthenticationException e) {
      if (!e.isForbidden()) {
        throw e;
      }
      if (!warnings.contains(NODES_FORBIDDEN)) {
        warnings.add(NODES_FORBIDDEN);
      }
      return List.of();
    }
  }

  /** The address the commands and URLs name: the first access IP. */
  static String firstIp(List<String> accessIps) {
    return accessIps.isEmpty() ? "<no node address>" : accessIps.get(0);
  }

  /** ExternalIPs of Ready nodes; InternalIPs (with a warning) when no node has an external one. */
  static List<String> accessIps(KubeClient kube, List<String> warnings) {
    List<String> external = new ArrayList<>();
    List<String> internal = new ArrayList<>();
    for (KubeObject node : nodes(kube, warnings)) {
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
    if (warnings.contains(NODES_FORBIDDEN)) {
      return internal;
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
