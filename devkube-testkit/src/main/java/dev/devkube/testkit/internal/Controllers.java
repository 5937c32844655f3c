package dev.devkube.testkit.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a cluster's controllers would do, enough for recipes and tests to see a living cluster:
 * Deployments get pods that start after a delay (or stay in ImagePullBackOff for a failing image);
 * Deployment status follows; Endpoints and EndpointSlices follow ready pods; claims are bound;
 * deleted Deployments and Namespaces take their contents with them. Runs on one thread.
 */
public final class Controllers implements AutoCloseable {
  private final Store store;
  private final Kinds kinds;
  private final Duration podStartDelay;
  private final Set<String> failingImages = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor;
  private final List<Runnable> held = new ArrayList<>();
  private final Consumer<Map<String, @Nullable Object>> onVolume;
  private volatile boolean paused;
  private int nextPodIp = 10;

  public Controllers(
      Store store,
      Kinds kinds,
      Duration podStartDelay,
      Consumer<Map<String, @Nullable Object>> onVolume) {
    this.store = store;
    this.kinds = kinds;
    this.podStartDelay = podStartDelay;
    this.onVolume = onVolume;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "fake-kubernetes-controllers");
              thread.setDaemon(true);
              return thread;
            });
    store.onChange(change -> submit(() -> react(change)));
  }

  public void failImage(String image) {
    failingImages.add(image);
  }

  public synchronized void pause() {
    paused = true;
  }

  public synchronized void resume() {
    paused = false;
    held.forEach(executor::execute);
    held.clear();
  }

  private synchronized void submit(Runnable task) {
    if (paused) {
      held.add(task);
    } else if (!executor.isShutdown()) {
      executor.execute(task);
    }
  }

  private Kinds.Kind kind(String apiVersion, String kind) {
    return Objects.requireNonNull(kinds.byKind(apiVersion, kind), kind);
  }

  private void react(Store.Change change) {
    Map<String, @Nullable Object> object = change.object();
    String namespace = Doc.string(object, "metadata.namespace");
    String name = String.valueOf(Doc.string(object, "metadata.name"));
    switch (change.kind().kind()) {
      case "Deployment" -> {
        if (change.type().equals("DELETED")) {
          deleteOwned(namespace, Doc.string(object, "metadata.uid"));
        } else {
          reconcileDeployment(namespace, name);
        }
      }
      case "Pod" -> {
        for (Map<String, @Nullable Object> owner : ownerDeployments(object)) {
          reconcileDeployment(namespace, String.valueOf(Doc.string(owner, "name")));
        }
        reconcileEndpoints(namespace);
      }
      case "Service" -> {
        if (!change.type().equals("DELETED")) {
          reconcileEndpoints(namespace);
        }
      }
      case "PersistentVolumeClaim" -> {
        if (change.type().equals("ADDED")) {
          bind(namespace, name);
        }
      }
      case "Namespace" -> {
        if (change.type().equals("DELETED")) {
          deleteNamespaceContents(name);
        }
      }
      default -> {}
    }
  }

  private void reconcileDeployment(@Nullable String namespace, String name) {
    Kinds.Kind deployments = kind("apps/v1", "Deployment");
    Map<String, @Nullable Object> deployment = store.get(deployments, namespace, name);
    if (deployment == null) {
      return;
    }
    String uid = String.valueOf(Doc.string(deployment, "metadata.uid"));
    Object generation = Doc.get(deployment, "metadata.generation");
    Object replicas = Doc.get(deployment, "spec.replicas");
    long desired = replicas instanceof Number number ? number.longValue() : 1;
    Kinds.Kind pods = kind("v1", "Pod");
    List<Map<String, @Nullable Object>> owned = store.list(pods, namespace, p -> ownedBy(p, uid));
    List<Map<String, @Nullable Object>> current = new ArrayList<>();
    for (Map<String, @Nullable Object> pod : owned) {
      if (Objects.equals(
          Doc.get(pod, "metadata.annotations.devkube-template-generation"),
          String.valueOf(generation))) {
        current.add(pod);
      } else {
        deleteQuietly(pods, namespace, String.valueOf(Doc.string(pod, "metadata.name")));
      }
    }
    while (current.size() > desired) {
      Map<String, @Nullable Object> extra = current.remove(current.size() - 1);
      deleteQuietly(pods, namespace, String.valueOf(Doc.string(extra, "metadata.name")));
    }
    while (current.size() < desired) {
      current.add(createPod(deployment, namespace, name, uid, String.valueOf(generation)));
    }
    long ready = current.stream().filter(Controllers::podReady).count();
    Map<String, @Nullable Object> status =
        Doc.obj(
            "observedGeneration",
            generation,
            "replicas",
            desired,
            "updatedReplicas",
            desired,
            "readyReplicas",
            ready,
            "availableReplicas",
            ready,
            "conditions",
            List.of(
                Doc.obj(
                    "type",
                    "Available",
                    "status",
                    ready >= desired ? "True" : "False",
                    "reason",
                    ready >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"),
                Doc.obj(
                    "type",
                    "Progressing",
                    "status",
                    "True",
                    "reason",
                    ready >= desired ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")));
    if (!status.equals(deployment.get("status"))) {
      deployment.put("status", status);
      Doc.map(deployment, "metadata").remove("resourceVersion");
      try {
        store.update(deployments, deployment);
      } catch (Status e) {
        // changed meanwhile: the change event brings us back
      }
    }
  }

  private Map<String, @Nullable Object> createPod(
      Map<String, @Nullable Object> deployment,
      @Nullable String namespace,
      String deploymentName,
      String uid,
      String generation) {
    String suffix =
        Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
    String podName = deploymentName + "-" + generation + "-" + suffix;
    Map<String, @Nullable Object> template = Doc.copy(Doc.map(deployment, "spec.template"));
    Map<String, @Nullable Object> metadata = Doc.copy(Doc.map(template, "metadata"));
    metadata.put("name", podName);
    metadata.put("namespace", namespace);
    Doc.map(metadata, "annotations").put("devkube-template-generation", generation);
    metadata.put(
        "ownerReferences",
        List.of(
            Doc.obj(
                "apiVersion",
                "apps/v1",
                "kind",
                "Deployment",
                "name",
                deploymentName,
                "uid",
                uid,
                "controller",
                true)));
    Map<String, @Nullable Object> pod =
        Doc.obj(
            "apiVersion",
            "v1",
            "kind",
            "Pod",
            "metadata",
            metadata,
            "spec",
            Doc.copy(Doc.map(template, "spec")),
            "status",
            Doc.obj(
                "phase",
                "Pending",
                "conditions",
                List.of(Doc.obj("type", "PodScheduled", "status", "True"))));
    Doc.map(pod, "spec").put("nodeName", "node-1");
    Map<String, @Nullable Object> created = store.create(kind("v1", "Pod"), pod);
    // The scheduled task only hands the start to submit(), which cannot fail; nothing to await.
    @SuppressWarnings("FutureReturnValueIgnored")
    Object unused =
        executor.schedule(
            () -> submit(() -> start(namespace, podName)),
            podStartDelay.toMillis(),
            TimeUnit.MILLISECONDS);
    return created;
  }

  private void start(@Nullable String namespace, String podName) {
    Kinds.Kind pods = kind("v1", "Pod");
    Map<String, @Nullable Object> pod = store.get(pods, namespace, podName);
    if (pod == null) {
      return;
    }
    List<Object> statuses = new ArrayList<>();
    boolean allStarted = true;
    // Init containers run first, one after the other; one that cannot start holds the pod in
    // Pending.
    List<Object> initStatuses = new ArrayList<>();
    for (Object container : Doc.list(pod, "spec.initContainers")) {
      String image = String.valueOf(Doc.get(container, "image"));
      if (allStarted && failingImages.contains(image)) {
        allStarted = false;
        initStatuses.add(containerStatus(container, false, pullBackOff(image)));
      } else if (allStarted) {
        initStatuses.add(
            containerStatus(
                container,
                true,
                Doc.obj("terminated", Doc.obj("exitCode", 0L, "reason", "Completed"))));
      } else {
        initStatuses.add(containerStatus(container, false, podInitializing()));
      }
    }
    boolean initialized = allStarted;
    for (Object container : Doc.list(pod, "spec.containers")) {
      String image = String.valueOf(Doc.get(container, "image"));
      if (!initialized) {
        statuses.add(containerStatus(container, false, podInitializing()));
      } else if (failingImages.contains(image)) {
        allStarted = false;
        statuses.add(containerStatus(container, false, pullBackOff(image)));
      } else {
        Map<String, @Nullable Object> running =
            containerStatus(
                container,
                true,
                Doc.obj(
                    "running",
                    Doc.obj(
                        "startedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())));
        running.put("started", true);
        statuses.add(running);
      }
    }
    Map<String, @Nullable Object> status = Doc.map(pod, "status");
    status.put("containerStatuses", statuses);
    if (!initStatuses.isEmpty()) {
      status.put("initContainerStatuses", initStatuses);
    }
    status.put("hostIP", "10.0.0.1");
    if (allStarted) {
      status.put("phase", "Running");
      status.put("podIP", "10.244.0." + nextPodIp++);
      status.put(
          "conditions",
          List.of(
              Doc.obj("type", "PodScheduled", "status", "True"),
              Doc.obj("type", "Initialized", "status", "True"),
              Doc.obj("type", "ContainersReady", "status", "True"),
              Doc.obj("type", "Ready", "status", "True")));
    }
    Doc.map(pod, "metadata").remove("resourceVersion");
    try {
      store.update(pods, pod);
    } catch (Status e) {
      // deleted meanwhile
    }
  }

  private void reconcileEndpoints(@Nullable String namespace) {
    Kinds.Kind services = kind("v1", "Service");
    Kinds.Kind endpoints = kind("v1", "Endpoints");
    Kinds.Kind slices = kind("discovery.k8s.io/v1", "EndpointSlice");
    Kinds.Kind pods = kind("v1", "Pod");
    for (Map<String, @Nullable Object> service : store.list(services, namespace, o -> true)) {
      Map<String, String> selector = Doc.strings(service, "spec.selector");
      if (selector.isEmpty()) {
        continue;
      }
      String name = String.valueOf(Doc.string(service, "metadata.name"));
      List<Object> ready = new ArrayList<>();
      List<Object> notReady = new ArrayList<>();
      for (Map<String, @Nullable Object> pod :
          store.list(
              pods,
              namespace,
              p -> Doc.strings(p, "metadata.labels").entrySet().containsAll(selector.entrySet()))) {
        String ip = Doc.string(pod, "status.podIP");
        if (ip == null) {
          continue;
        }
        Map<String, @Nullable Object> address =
            Doc.obj(
                "ip",
                ip,
                "nodeName",
                "node-1",
                "targetRef",
                Doc.obj(
                    "kind",
                    "Pod",
                    "namespace",
                    namespace,
                    "name",
                    Doc.string(pod, "metadata.name")));
        (podReady(pod) ? ready : notReady).add(address);
      }
      List<Object> ports = new ArrayList<>();
      for (Object port : Doc.list(service, "spec.ports")) {
        ports.add(
            Doc.obj(
                "name",
                Doc.get(port, "name"),
                "port",
                Doc.get(port, "targetPort"),
                "protocol",
                Doc.get(port, "protocol")));
      }
      Map<String, @Nullable Object> subset = Doc.obj();
      if (!ready.isEmpty()) {
        subset.put("addresses", ready);
      }
      if (!notReady.isEmpty()) {
        subset.put("notReadyAddresses", notReady);
      }
      subset.put("ports", ports);
      Map<String, @Nullable Object> wanted =
          Doc.obj(
              "apiVersion",
              "v1",
              "kind",
              "Endpoints",
              "metadata",
              Doc.obj("name", name, "namespace", namespace),
              "subsets",
              ready.isEmpty() && notReady.isEmpty() ? List.of() : List.of(subset));
      upsert(endpoints, namespace, name, wanted, "subsets");
      List<Object> sliceEndpoints = new ArrayList<>();
      ready.forEach(
          a ->
              sliceEndpoints.add(
                  Doc.obj(
                      "addresses",
                      List.of(Doc.get(a, "ip")),
                      "conditions",
                      Doc.obj("ready", true))));
      notReady.forEach(
          a ->
              sliceEndpoints.add(
                  Doc.obj(
                      "addresses",
                      List.of(Doc.get(a, "ip")),
                      "conditions",
                      Doc.obj("ready", false))));
      Map<String, @Nullable Object> slice =
          Doc.obj(
              "apiVersion",
              "discovery.k8s.io/v1",
              "kind",
              "EndpointSlice",
              "metadata",
              Doc.obj(
                  "name",
                  name,
                  "namespace",
                  namespace,
                  "labels",
                  Doc.obj("kubernetes.io/service-name", name)),
              "addressType",
              "IPv4",
              "endpoints",
              sliceEndpoints,
              "ports",
              ports);
      upsert(slices, namespace, name, slice, "endpoints");
    }
  }

  private void upsert(
      Kinds.Kind kind,
      @Nullable String namespace,
      String name,
      Map<String, @Nullable Object> wanted,
      String field) {
    Map<String, @Nullable Object> existing = store.get(kind, namespace, name);
    try {
      if (existing == null) {
        store.create(kind, wanted);
      } else if (!Objects.equals(existing.get(field), wanted.get(field))) {
        existing.put(field, wanted.get(field));
        if (wanted.containsKey("ports")) {
          existing.put("ports", wanted.get("ports"));
        }
        Doc.map(existing, "metadata").remove("resourceVersion");
        store.update(kind, existing);
      }
    } catch (Status e) {
      // raced with another change; the next event reconciles again
    }
  }

  private void bind(@Nullable String namespace, String name) {
    Kinds.Kind claims = kind("v1", "PersistentVolumeClaim");
    Map<String, @Nullable Object> claim = store.get(claims, namespace, name);
    if (claim == null) {
      return;
    }
    Kinds.Kind classes = kind("storage.k8s.io/v1", "StorageClass");
    String className = Doc.string(claim, "spec.storageClassName");
    boolean classExists =
        className == null
            ? !store
                .list(
                    classes,
                    null,
                    c ->
                        "true"
                            .equals(
                                Doc.strings(c, "metadata.annotations")
                                    .get("storageclass.kubernetes.io/is-default-class")))
                .isEmpty()
            : store.get(classes, null, className) != null;
    if (!classExists) {
      return; // stays Pending, as with no provisioner for the class
    }
    String volume = "pvc-" + Doc.string(claim, "metadata.uid");
    Object storage = Doc.get(claim, "spec.resources.requests.storage");
    Map<String, @Nullable Object> pv =
        Doc.obj(
            "apiVersion",
            "v1",
            "kind",
            "PersistentVolume",
            "metadata",
            Doc.obj("name", volume),
            "spec",
            Doc.obj(
                "capacity",
                Doc.obj("storage", storage),
                "accessModes",
                Doc.get(claim, "spec.accessModes"),
                "claimRef",
                Doc.obj("namespace", namespace, "name", name),
                "storageClassName",
                Doc.get(claim, "spec.storageClassName")),
            "status",
            Doc.obj("phase", "Bound"));
    try {
      store.create(kind("v1", "PersistentVolume"), pv);
    } catch (Status e) {
      // already there
    }
    onVolume.accept(pv);
    Doc.map(claim, "spec").put("volumeName", volume);
    Doc.map(claim, "status").put("phase", "Bound");
    Doc.map(claim, "status").put("capacity", Doc.obj("storage", storage));
    Doc.map(claim, "metadata").remove("resourceVersion");
    try {
      store.update(claims, claim);
    } catch (Status e) {
      // deleted meanwhile
    }
  }

  private void deleteOwned(@Nullable String namespace, @Nullable String uid) {
    Kinds.Kind pods = kind("v1", "Pod");
    for (Map<String, @Nullable Object> pod :
        store.list(pods, namespace, p -> ownedBy(p, String.valueOf(uid)))) {
      deleteQuietly(pods, namespace, String.valueOf(Doc.string(pod, "metadata.name")));
    }
  }

  private void deleteNamespaceContents(String namespace) {
    for (String groupVersion :
        List.of("v1", "apps/v1", "discovery.k8s.io/v1", "networking.k8s.io/v1", "batch/v1")) {
      for (Kinds.Kind kind : kinds.inGroupVersion(groupVersion)) {
        if (kind.namespaced()) {
          for (Map<String, @Nullable Object> object : store.list(kind, namespace, o -> true)) {
            deleteQuietly(kind, namespace, String.valueOf(Doc.string(object, "metadata.name")));
          }
        }
      }
    }
  }

  private void deleteQuietly(Kinds.Kind kind, @Nullable String namespace, String name) {
    try {
      store.delete(kind, namespace, name);
    } catch (Status e) {
      // already gone
    }
  }

  private static boolean ownedBy(Map<String, @Nullable Object> pod, String uid) {
    for (Object owner : Doc.list(pod, "metadata.ownerReferences")) {
      if (uid.equals(Doc.get(owner, "uid"))) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, @Nullable Object> podInitializing() {
    return Doc.obj("waiting", Doc.obj("reason", "PodInitializing"));
  }

  private static Map<String, @Nullable Object> pullBackOff(String image) {
    return Doc.obj(
        "waiting",
        Doc.obj(
            "reason", "ImagePullBackOff", "message", "Back-off pulling image \"" + image + "\""));
  }

  /** A container's status entry in a pod: its name and image, readiness and state. */
  private static Map<String, @Nullable Object> containerStatus(
      Object container, boolean ready, Map<String, @Nullable Object> state) {
    return Doc.obj(
        "name",
        String.valueOf(Doc.get(container, "name")),
        "image",
        String.valueOf(Doc.get(container, "image")),
        "ready",
        ready,
        "restartCount",
        0L,
        "state",
        state);
  }

  private static List<Map<String, @Nullable Object>> ownerDeployments(
      Map<String, @Nullable Object> pod) {
    List<Map<String, @Nullable Object>> owners = new ArrayList<>();
    for (Object owner : Doc.list(pod, "metadata.ownerReferences")) {
      if ("Deployment".equals(Doc.get(owner, "kind"))) {
        owners.add(Doc.copy(Doc.obj("name", Doc.get(owner, "name"))));
      }
    }
    return owners;
  }

  private static boolean podReady(Map<String, @Nullable Object> pod) {
    for (Object condition : Doc.list(pod, "status.conditions")) {
      if ("Ready".equals(Doc.get(condition, "type"))
          && "True".equals(Doc.get(condition, "status"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
