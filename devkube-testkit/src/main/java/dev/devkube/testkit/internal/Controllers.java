package dev.devkube.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * What a cluster's controllers would do, enough for recipes and tests to see a living cluster:
 * Deployments get pods that start after a delay (or stay in ImagePullBackOff for a failing image);
 * Deployment status follows; Endpoints and EndpointSlices follow ready pods; claims are bound;
 * deleted Deployments and Namespaces take their contents with them. Runs on one thread.
 */
public final class Controllers extends Reconciler implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Controllers.class);
  private final Workloads workloads;
  private final Kubelet kubelet;
  private final Set<String> failingImages = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor;
  private final List<Runnable> held = new ArrayList<>();
  private final Consumer<Map<String, @Nullable Object>> onVolume;
  private volatile boolean paused;

  public Controllers(
      Store store,
      Kinds kinds,
      Duration podStartDelay,
      Consumer<Map<String, @Nullable Object>> onVolume,
      java.util.function.Function<Map<String, @Nullable Object>, @Nullable String> mountRefusal) {
    super(store, kinds);
    this.onVolume = onVolume;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "fake-kubernetes-controllers");
              thread.setDaemon(true);
              return thread;
            });
    this.workloads = new Workloads(store, kinds);
    this.kubelet =
        new Kubelet(
            store, kinds, podStartDelay, failingImages, executor, this::submit, mountRefusal);
    store.onChange(change -> submit(() -> guarded(() -> react(change))));
    // A resync, as a real controller's informers do: whatever an event could not settle (a write
    // that raced another one) is settled on the next pass. It writes only what differs.
    @SuppressWarnings("FutureReturnValueIgnored")
    Object unused =
        executor.scheduleWithFixedDelay(
            () -> {
              if (!paused) {
                submit(() -> guarded(this::resync));
              }
            },
            500,
            500,
            TimeUnit.MILLISECONDS);
  }

  /** Runs one reconciliation; a failure is logged and does not stop the controllers. */
  private static void guarded(Runnable reconciliation) {
    try {
      reconciliation.run();
    } catch (RuntimeException e) {
      LOG.warn("a simulated controller failed; the next event or resync tries again", e);
    }
  }

  private void resync() {
    Kinds.Kind deployments = kind("apps/v1", "Deployment");
    Kinds.Kind replicaSets = kind("apps/v1", "ReplicaSet");
    for (Map<String, @Nullable Object> rs : store.list(replicaSets, null, o -> true)) {
      workloads.reconcileReplicaSet(
          Doc.string(rs, "metadata.namespace"), String.valueOf(Doc.string(rs, "metadata.name")));
    }
    for (Map<String, @Nullable Object> d : store.list(deployments, null, o -> true)) {
      workloads.reconcileDeployment(
          Doc.string(d, "metadata.namespace"), String.valueOf(Doc.string(d, "metadata.name")));
    }
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

  synchronized void submit(Runnable task) {
    if (paused) {
      held.add(task);
    } else if (!executor.isShutdown()) {
      executor.execute(task);
    }
  }

  private void react(Store.Change change) {
    Map<String, @Nullable Object> object = change.object();
    String namespace = Doc.string(object, "metadata.namespace");
    String name = String.valueOf(Doc.string(object, "metadata.name"));
    boolean deleted = change.type().equals("DELETED");
    if (deleted) {
      collectGarbage(namespace, Doc.string(object, "metadata.uid"));
    }
    switch (change.kind().kind()) {
      case "Deployment" -> {
        if (!deleted) {
          workloads.reconcileDeployment(namespace, name);
        }
      }
      case "ReplicaSet" -> {
        if (!deleted) {
          workloads.reconcileReplicaSet(namespace, name);
        }
        ownerOf(object, "Deployment")
            .ifPresent(owner -> workloads.reconcileDeployment(namespace, owner));
      }
      case "Pod" -> {
        if (change.type().equals("ADDED")) {
          kubelet.schedule(namespace, name);
        }
        ownerOf(object, "ReplicaSet")
            .ifPresent(owner -> workloads.reconcileReplicaSet(namespace, owner));
        reconcileEndpoints(namespace);
      }
      case "Service" -> {
        if (!deleted) {
          reconcileEndpoints(namespace);
        }
      }
      case "PersistentVolumeClaim" -> {
        if (deleted) {
          release(namespace, name, Doc.string(object, "metadata.uid"));
        } else if (change.type().equals("ADDED")) {
          bind(namespace, name);
        } else if ("Bound".equals(Doc.string(object, "status.phase"))) {
          kubelet.retryPending(namespace);
        }
      }
      case "PersistentVolume" -> {
        if (change.type().equals("ADDED")) {
          // Claims waiting for this volume by name.
          Kinds.Kind claims = kind("v1", "PersistentVolumeClaim");
          for (Map<String, @Nullable Object> claim :
              store.list(claims, null, c -> name.equals(Doc.string(c, "spec.volumeName")))) {
            bind(
                Doc.string(claim, "metadata.namespace"),
                String.valueOf(Doc.string(claim, "metadata.name")));
          }
        }
      }
      case "Namespace" -> {
        if (deleted) {
          deleteNamespaceContents(name);
        } else if (Doc.get(object, "metadata.deletionTimestamp") != null) {
          // The namespace controller: empty the namespace, then remove it.
          deleteNamespaceContents(name);
          deleteQuietly(change.kind(), null, name);
        }
      }
      default -> {}
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
              List.of(subset));
      if (ready.isEmpty() && notReady.isEmpty()) {
        // As the endpoints controller writes it: no addresses, no subsets field at all.
        wanted.remove("subsets");
      }
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
        store.modify(
            kind,
            namespace,
            name,
            e -> {
              if (wanted.containsKey(field)) {
                e.put(field, wanted.get(field));
              } else {
                e.remove(field);
              }
              if (wanted.containsKey("ports")) {
                e.put("ports", wanted.get("ports"));
              }
            });
      }
    } catch (Status e) {
      // raced with another change; the next event reconciles again
    }
  }

  /**
   * The volume controller for a claim: a claim that names its volume ({@code spec.volumeName}) is
   * bound to that PersistentVolume when it exists, is free (or reserved for this claim) and has the
   * claim's class; any other claim gets a new volume from its class's provisioner (with a CSI
   * handle when the provisioner is a CSI driver, and the class's reclaim policy).
   */
  private void bind(@Nullable String namespace, String name) {
    Kinds.Kind claims = kind("v1", "PersistentVolumeClaim");
    Map<String, @Nullable Object> claim = store.get(claims, namespace, name);
    if (claim == null || "Bound".equals(Doc.string(claim, "status.phase"))) {
      return;
    }
    String wanted = Doc.string(claim, "spec.volumeName");
    if (wanted != null && !wanted.isEmpty()) {
      bindTo(claim, namespace, name, wanted);
      return;
    }
    Kinds.Kind classes = kind("storage.k8s.io/v1", "StorageClass");
    String className = Doc.string(claim, "spec.storageClassName");
    Map<String, @Nullable Object> storageClass = null;
    if (className == null) {
      for (Map<String, @Nullable Object> c :
          store.list(
              classes,
              null,
              c ->
                  "true"
                      .equals(
                          Doc.strings(c, "metadata.annotations")
                              .get("storageclass.kubernetes.io/is-default-class")))) {
        storageClass = c;
      }
    } else {
      storageClass = store.get(classes, null, className);
    }
    if (storageClass == null) {
      // Stays Pending, as with no provisioner for the class; the volume controller says why.
      if (className != null) {
        event(
            claim,
            "Warning",
            "ProvisioningFailed",
            "storageclass.storage.k8s.io \"" + className + "\" not found",
            "persistentvolume-controller");
      } else {
        event(
            claim,
            "Normal",
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
            "persistentvolume-controller");
      }
      return;
    }
    String volume = "pvc-" + Doc.string(claim, "metadata.uid");
    Object storage = Doc.get(claim, "spec.resources.requests.storage");
    String provisioner = String.valueOf(Doc.string(storageClass, "provisioner"));
    Map<String, @Nullable Object> spec =
        Doc.obj(
            "capacity",
            Doc.obj("storage", storage),
            "accessModes",
            Doc.get(claim, "spec.accessModes"),
            "claimRef",
            claimRef(namespace, name, Doc.string(claim, "metadata.uid")),
            "persistentVolumeReclaimPolicy",
            java.util.Objects.requireNonNullElse(
                Doc.string(storageClass, "reclaimPolicy"), "Delete"),
            "storageClassName",
            Doc.string(storageClass, "metadata.name"));
    if (provisioner.contains(".csi.") || provisioner.endsWith(".csi")) {
      spec.put(
          "csi",
          Doc.obj(
              "driver",
              provisioner,
              "fsType",
              "ext4",
              "volumeHandle",
              java.util.UUID.randomUUID().toString()));
    }
    Map<String, @Nullable Object> pv =
        Doc.obj(
            "apiVersion",
            "v1",
            "kind",
            "PersistentVolume",
            "metadata",
            Doc.obj(
                "name",
                volume,
                "annotations",
                Doc.obj("pv.kubernetes.io/provisioned-by", provisioner)),
            "spec",
            spec,
            "status",
            Doc.obj("phase", "Bound"));
    try {
      store.create(kind("v1", "PersistentVolume"), pv);
    } catch (Status e) {
      // already there
    }
    onVolume.accept(pv);
    markBound(namespace, name, volume, storage);
  }

  /** A volume's reference to the claim bound to it. */
  private static Map<String, @Nullable Object> claimRef(
      @Nullable String namespace, String name, @Nullable String uid) {
    return Doc.obj(
        "kind", "PersistentVolumeClaim", "namespace", namespace, "name", name, "uid", uid);
  }

  /** Binds a claim to the volume it names, or leaves it Pending with the controller's reason. */
  private void bindTo(
      Map<String, @Nullable Object> claim,
      @Nullable String namespace,
      String name,
      String volumeName) {
    Kinds.Kind volumes = kind("v1", "PersistentVolume");
    Map<String, @Nullable Object> pv = store.get(volumes, null, volumeName);
    if (pv == null) {
      event(
          claim,
          "Warning",
          "FailedBinding",
          "volume \"" + volumeName + "\" not found",
          "persistentvolume-controller");
      return;
    }
    String uid = Doc.string(claim, "metadata.uid");
    Object ref = Doc.get(pv, "spec.claimRef");
    boolean free = ref == null;
    boolean reserved =
        ref != null
            && java.util.Objects.equals(Doc.get(ref, "namespace"), namespace)
            && name.equals(Doc.get(ref, "name"))
            && (Doc.get(ref, "uid") == null || java.util.Objects.equals(Doc.get(ref, "uid"), uid));
    String claimClass =
        java.util.Objects.requireNonNullElse(Doc.string(claim, "spec.storageClassName"), "");
    String volumeClass =
        java.util.Objects.requireNonNullElse(Doc.string(pv, "spec.storageClassName"), "");
    if (!(free || reserved)) {
      event(
          claim,
          "Warning",
          "FailedBinding",
          "volume \"" + volumeName + "\" already bound to a different claim.",
          "persistentvolume-controller");
      return;
    }
    if (!claimClass.equals(volumeClass)) {
      event(
          claim,
          "Warning",
          "VolumeMismatch",
          "Cannot bind to requested volume \"" + volumeName + "\": storageClassName does not match",
          "persistentvolume-controller");
      return;
    }
    store.modify(
        volumes,
        null,
        volumeName,
        v -> {
          Doc.map(v, "spec").put("claimRef", claimRef(namespace, name, uid));
          v.put("status", Doc.obj("phase", "Bound"));
        });
    markBound(namespace, name, volumeName, Doc.get(pv, "spec.capacity.storage"));
    // The cloud volume is now this cluster's (its CSI driver attaches it to a node).
    Map<String, @Nullable Object> bound = store.get(volumes, null, volumeName);
    if (bound != null) {
      onVolume.accept(bound);
    }
  }

  private void markBound(
      @Nullable String namespace, String name, String volume, @Nullable Object storage) {
    store.modify(
        kind("v1", "PersistentVolumeClaim"),
        namespace,
        name,
        c -> {
          Doc.map(c, "spec").put("volumeName", volume);
          Doc.map(c, "status").put("phase", "Bound");
          Doc.map(c, "status").put("accessModes", Doc.get(c, "spec.accessModes"));
          Doc.map(c, "status").put("capacity", Doc.obj("storage", storage));
        });
  }

  /**
   * A deleted claim's volume: deleted with its reclaim policy {@code Delete} (the cloud volume with
   * it), {@code Released} and kept with {@code Retain}, its data untouched.
   */
  private void release(@Nullable String namespace, String name, @Nullable String uid) {
    Kinds.Kind volumes = kind("v1", "PersistentVolume");
    for (Map<String, @Nullable Object> pv :
        store.list(
            volumes,
            null,
            v ->
                java.util.Objects.equals(Doc.string(v, "spec.claimRef.namespace"), namespace)
                    && name.equals(Doc.string(v, "spec.claimRef.name"))
                    && (uid == null
                        || java.util.Objects.equals(Doc.string(v, "spec.claimRef.uid"), uid)))) {
      String pvName = String.valueOf(Doc.string(pv, "metadata.name"));
      if ("Retain".equals(Doc.string(pv, "spec.persistentVolumeReclaimPolicy"))) {
        store.modify(volumes, null, pvName, v -> v.put("status", Doc.obj("phase", "Released")));
      } else {
        deleteQuietly(volumes, null, pvName);
      }
    }
  }

  /** The garbage collector: objects owned by a deleted object go too. */
  private void collectGarbage(@Nullable String namespace, @Nullable String uid) {
    if (uid == null) {
      return;
    }
    for (String[] type : new String[][] {{"apps/v1", "ReplicaSet"}, {"v1", "Pod"}}) {
      Kinds.Kind kind = kind(type[0], type[1]);
      for (Map<String, @Nullable Object> owned :
          store.list(kind, namespace, o -> ownedBy(o, uid))) {
        deleteQuietly(kind, namespace, String.valueOf(Doc.string(owned, "metadata.name")));
      }
    }
  }

  private void deleteNamespaceContents(String namespace) {
    // Owners first, so that no controller recreates what goes.
    List<Kinds.Kind> order = new ArrayList<>();
    for (Kinds.Kind kind : kinds.all()) {
      if (kind.namespaced()) {
        if (kind.group().equals("apps") || kind.group().equals("batch")) {
          order.add(0, kind);
        } else {
          order.add(kind);
        }
      }
    }
    for (Kinds.Kind kind : order) {
      for (Map<String, @Nullable Object> object : store.list(kind, namespace, o -> true)) {
        deleteQuietly(kind, namespace, String.valueOf(Doc.string(object, "metadata.name")));
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
