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
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Controllers.class);
  private final Store store;
  private final Kinds kinds;
  private final Duration podStartDelay;
  private final Set<String> failingImages = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService executor;
  private final List<Runnable> held = new ArrayList<>();
  private final Consumer<Map<String, @Nullable Object>> onVolume;
  private volatile boolean paused;
  private int nextPodIp = 10;
  private int nextNode;

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
      reconcileReplicaSet(
          Doc.string(rs, "metadata.namespace"), String.valueOf(Doc.string(rs, "metadata.name")));
    }
    for (Map<String, @Nullable Object> d : store.list(deployments, null, o -> true)) {
      reconcileDeployment(
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
    boolean deleted = change.type().equals("DELETED");
    if (deleted) {
      collectGarbage(namespace, Doc.string(object, "metadata.uid"));
    }
    switch (change.kind().kind()) {
      case "Deployment" -> {
        if (!deleted) {
          reconcileDeployment(namespace, name);
        }
      }
      case "ReplicaSet" -> {
        if (!deleted) {
          reconcileReplicaSet(namespace, name);
        }
        ownerOf(object, "Deployment").ifPresent(owner -> reconcileDeployment(namespace, owner));
      }
      case "Pod" -> {
        if (change.type().equals("ADDED")) {
          schedule(namespace, name);
        }
        ownerOf(object, "ReplicaSet").ifPresent(owner -> reconcileReplicaSet(namespace, owner));
        reconcileEndpoints(namespace);
      }
      case "Service" -> {
        if (!deleted) {
          reconcileEndpoints(namespace);
        }
      }
      case "PersistentVolumeClaim" -> {
        if (change.type().equals("ADDED")) {
          bind(namespace, name);
        } else if (!deleted && "Bound".equals(Doc.string(object, "status.phase"))) {
          retryPending(namespace);
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

  private static java.util.Optional<String> ownerOf(
      Map<String, @Nullable Object> object, String kind) {
    for (Object owner : Doc.list(object, "metadata.ownerReferences")) {
      if (kind.equals(Doc.get(owner, "kind"))) {
        return java.util.Optional.of(String.valueOf(Doc.get(owner, "name")));
      }
    }
    return java.util.Optional.empty();
  }

  private static Map<String, @Nullable Object> ownerReference(
      Map<String, @Nullable Object> owner, String apiVersion, String kind) {
    return Doc.obj(
        "apiVersion",
        apiVersion,
        "kind",
        kind,
        "name",
        Doc.string(owner, "metadata.name"),
        "uid",
        Doc.string(owner, "metadata.uid"),
        "controller",
        true,
        "blockOwnerDeletion",
        true);
  }

  /** The pod-template-hash of a template: FNV-1a 32 over its JSON, in the safe alphabet. */
  static String templateHash(@Nullable Object template) {
    int hash = 0x811c9dc5;
    for (byte b : Doc.write(template).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder text = new StringBuilder();
    for (char c : Integer.toUnsignedString(hash).toCharArray()) {
      text.append(alphabet.charAt(c % alphabet.length()));
    }
    return text.toString();
  }

  private static long revision(Map<String, @Nullable Object> object) {
    try {
      return Long.parseLong(
          Objects.requireNonNullElse(
              Doc.strings(object, "metadata.annotations").get(REVISION), "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static final String REVISION = "deployment.kubernetes.io/revision";

  /**
   * A Deployment owns one ReplicaSet per template (named by the template's hash, with a revision
   * annotation); the one matching the current template gets all replicas and the newest revision,
   * the others are scaled to zero, as a rollout that has finished.
   */
  private void reconcileDeployment(@Nullable String namespace, String name) {
    Kinds.Kind deployments = kind("apps/v1", "Deployment");
    Kinds.Kind replicaSets = kind("apps/v1", "ReplicaSet");
    Map<String, @Nullable Object> deployment = store.get(deployments, namespace, name);
    if (deployment == null) {
      return;
    }
    String uid = String.valueOf(Doc.string(deployment, "metadata.uid"));
    Object generation = Doc.get(deployment, "metadata.generation");
    long desired = Doc.get(deployment, "spec.replicas") instanceof Number n ? n.longValue() : 1;
    Map<String, @Nullable Object> template = Doc.copy(Doc.map(deployment, "spec.template"));
    String hash = templateHash(template);
    List<Map<String, @Nullable Object>> owned =
        store.list(replicaSets, namespace, r -> ownedBy(r, uid));
    long newest = 0;
    Map<String, @Nullable Object> current = null;
    for (Map<String, @Nullable Object> rs : owned) {
      newest = Math.max(newest, revision(rs));
      if (hash.equals(Doc.strings(rs, "metadata.labels").get("pod-template-hash"))) {
        current = rs;
      }
    }
    try {
      if (current == null) {
        if (!active(namespace)) {
          return;
        }
        Map<String, @Nullable Object> labels = Doc.copy(Doc.map(template, "metadata.labels"));
        labels.put("pod-template-hash", hash);
        Map<String, @Nullable Object> rsTemplate = Doc.copy(template);
        Doc.map(rsTemplate, "metadata").put("labels", Doc.copy(labels));
        Map<String, @Nullable Object> selector = Doc.copy(Doc.map(deployment, "spec.selector"));
        Doc.map(selector, "matchLabels").put("pod-template-hash", hash);
        Map<String, @Nullable Object> annotations =
            Doc.obj(
                "deployment.kubernetes.io/desired-replicas",
                String.valueOf(desired),
                "deployment.kubernetes.io/max-replicas",
                String.valueOf(desired + 1),
                REVISION,
                String.valueOf(newest + 1));
        String cause =
            Doc.strings(deployment, "metadata.annotations").get("kubernetes.io/change-cause");
        if (cause != null) {
          annotations.put("kubernetes.io/change-cause", cause);
        }
        current =
            store.create(
                replicaSets,
                Doc.obj(
                    "apiVersion",
                    "apps/v1",
                    "kind",
                    "ReplicaSet",
                    "metadata",
                    Doc.obj(
                        "name",
                        name + "-" + hash,
                        "namespace",
                        namespace,
                        "labels",
                        labels,
                        "annotations",
                        annotations,
                        "ownerReferences",
                        List.of(ownerReference(deployment, "apps/v1", "Deployment"))),
                    "spec",
                    Doc.obj("replicas", desired, "selector", selector, "template", rsTemplate),
                    "status",
                    Doc.obj("replicas", 0L)));
        event(
            deployment,
            "Normal",
            "ScalingReplicaSet",
            "Scaled up replica set " + name + "-" + hash + " from 0 to " + desired,
            "deployment-controller");
        newest++;
      } else {
        boolean changed = false;
        String bumped = null;
        if (revision(current) < newest) {
          bumped = String.valueOf(newest + 1);
          newest++;
          changed = true;
        }
        if (!Objects.equals(Doc.get(current, "spec.replicas"), desired)) {
          event(
              deployment,
              "Normal",
              "ScalingReplicaSet",
              "Scaled "
                  + (desired
                          > (Doc.get(current, "spec.replicas") instanceof Number n
                              ? n.longValue()
                              : 0)
                      ? "up"
                      : "down")
                  + " replica set "
                  + Doc.string(current, "metadata.name")
                  + " from "
                  + Doc.get(current, "spec.replicas")
                  + " to "
                  + desired,
              "deployment-controller");
          changed = true;
        }
        if (changed) {
          String revisionNow = bumped;
          Map<String, @Nullable Object> modified =
              store.modify(
                  replicaSets,
                  namespace,
                  String.valueOf(Doc.string(current, "metadata.name")),
                  rs -> {
                    if (revisionNow != null) {
                      Doc.map(rs, "metadata.annotations").put(REVISION, revisionNow);
                    }
                    Doc.map(rs, "spec").put("replicas", desired);
                    Doc.map(rs, "metadata.annotations")
                        .put("deployment.kubernetes.io/desired-replicas", String.valueOf(desired));
                  });
          if (modified == null) {
            return;
          }
          current = modified;
        }
      }
      for (Map<String, @Nullable Object> rs : owned) {
        if (rs.equals(current)
            || Objects.equals(
                Doc.string(rs, "metadata.uid"), Doc.string(current, "metadata.uid"))) {
          continue;
        }
        if (!Objects.equals(Doc.get(rs, "spec.replicas"), 0L)) {
          event(
              deployment,
              "Normal",
              "ScalingReplicaSet",
              "Scaled down replica set "
                  + Doc.string(rs, "metadata.name")
                  + " from "
                  + Doc.get(rs, "spec.replicas")
                  + " to 0",
              "deployment-controller");
          store.modify(
              replicaSets,
              namespace,
              String.valueOf(Doc.string(rs, "metadata.name")),
              old -> Doc.map(old, "spec").put("replicas", 0L));
        }
      }
    } catch (Status e) {
      return; // raced with another change; its event brings us back
    }
    // Status, from the pods of every owned ReplicaSet.
    Kinds.Kind pods = kind("v1", "Pod");
    long total = 0;
    long updated = 0;
    long ready = 0;
    String currentUid = String.valueOf(Doc.string(current, "metadata.uid"));
    for (Map<String, @Nullable Object> rs :
        store.list(replicaSets, namespace, r -> ownedBy(r, uid))) {
      String rsUid = String.valueOf(Doc.string(rs, "metadata.uid"));
      for (Map<String, @Nullable Object> pod :
          store.list(pods, namespace, p -> ownedBy(p, rsUid))) {
        total++;
        if (rsUid.equals(currentUid)) {
          updated++;
          if (podReady(pod)) {
            ready++;
          }
        }
      }
    }
    String rsName = String.valueOf(Doc.string(current, "metadata.name"));
    boolean available = ready >= desired;
    boolean complete = available && total == desired && updated == desired;
    Map<String, @Nullable Object> status =
        Doc.obj("observedGeneration", generation, "replicas", total, "updatedReplicas", updated);
    if (ready > 0) {
      status.put("readyReplicas", ready);
      status.put("availableReplicas", ready);
    }
    if (total - ready > 0) {
      status.put("unavailableReplicas", total - ready);
    }
    Map<String, @Nullable Object> previous = Doc.map(Doc.copy(deployment), "status");
    status.put(
        "conditions",
        List.of(
            condition(
                previous,
                "Available",
                available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available
                    ? "Deployment has minimum availability."
                    : "Deployment does not have minimum availability."),
            condition(
                previous,
                "Progressing",
                "True",
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                complete
                    ? "ReplicaSet \"" + rsName + "\" has successfully progressed."
                    : "ReplicaSet \"" + rsName + "\" is progressing.")));
    String revision = String.valueOf(revision(current));
    boolean annotate =
        !revision.equals(Doc.strings(deployment, "metadata.annotations").get(REVISION));
    if (!status.equals(deployment.get("status")) || annotate) {
      // Onto the Deployment as stored now: a user's change made meanwhile stays, and its event
      // brings the controller back to observe it.
      store.modify(
          deployments,
          namespace,
          name,
          d -> {
            d.put("status", status);
            Doc.map(d, "metadata.annotations").put(REVISION, revision);
          });
    }
  }

  /** A condition that keeps its transition time while its status stays the same. */
  private static Map<String, @Nullable Object> condition(
      Map<String, @Nullable Object> previous,
      String type,
      String status,
      String reason,
      String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Object transition = now;
    Object update = now;
    for (Object c : Doc.list(previous, "conditions")) {
      if (type.equals(Doc.get(c, "type")) && status.equals(Doc.get(c, "status"))) {
        transition = Doc.get(c, "lastTransitionTime");
        if (reason.equals(Doc.get(c, "reason"))) {
          update = Doc.get(c, "lastUpdateTime");
        }
      }
    }
    return Doc.obj(
        "type",
        type,
        "status",
        status,
        "lastUpdateTime",
        update,
        "lastTransitionTime",
        transition,
        "reason",
        reason,
        "message",
        message);
  }

  /** A ReplicaSet keeps {@code spec.replicas} pods from its template. */
  private void reconcileReplicaSet(@Nullable String namespace, String name) {
    Kinds.Kind replicaSets = kind("apps/v1", "ReplicaSet");
    Kinds.Kind pods = kind("v1", "Pod");
    Map<String, @Nullable Object> rs = store.get(replicaSets, namespace, name);
    if (rs == null) {
      return;
    }
    String uid = String.valueOf(Doc.string(rs, "metadata.uid"));
    long desired = Doc.get(rs, "spec.replicas") instanceof Number n ? n.longValue() : 1;
    List<Map<String, @Nullable Object>> owned = store.list(pods, namespace, p -> ownedBy(p, uid));
    try {
      while (owned.size() > desired) {
        Map<String, @Nullable Object> extra = owned.remove(owned.size() - 1);
        String podName = String.valueOf(Doc.string(extra, "metadata.name"));
        deleteQuietly(pods, namespace, podName);
        event(rs, "Normal", "SuccessfulDelete", "Deleted pod: " + podName, "replicaset-controller");
      }
      while (owned.size() < desired && active(namespace)) {
        owned.add(createPod(rs, namespace, name));
      }
    } catch (Status e) {
      return;
    }
    long ready = owned.stream().filter(Controllers::podReady).count();
    Map<String, @Nullable Object> status =
        Doc.obj(
            "replicas",
            (long) owned.size(),
            "fullyLabeledReplicas",
            (long) owned.size(),
            "observedGeneration",
            Doc.get(rs, "metadata.generation"));
    if (ready > 0) {
      status.put("readyReplicas", ready);
      status.put("availableReplicas", ready);
    }
    if (!status.equals(rs.get("status"))) {
      store.modify(replicaSets, namespace, name, r -> r.put("status", status));
    }
  }

  private Map<String, @Nullable Object> createPod(
      Map<String, @Nullable Object> rs, @Nullable String namespace, String rsName) {
    String suffix = randomSuffix();
    String podName = rsName + "-" + suffix;
    Map<String, @Nullable Object> template = Doc.copy(Doc.map(rs, "spec.template"));
    Map<String, @Nullable Object> metadata = Doc.copy(Doc.map(template, "metadata"));
    metadata.put("name", podName);
    metadata.put("generateName", rsName + "-");
    metadata.put("namespace", namespace);
    metadata.put("ownerReferences", List.of(ownerReference(rs, "apps/v1", "ReplicaSet")));
    Map<String, @Nullable Object> spec = Doc.copy(Doc.map(template, "spec"));
    Map<String, @Nullable Object> pod =
        Doc.obj(
            "apiVersion",
            "v1",
            "kind",
            "Pod",
            "metadata",
            metadata,
            "spec",
            spec,
            "status",
            Doc.obj("phase", "Pending", "qosClass", "BestEffort"));
    Defaults.apply(kind("v1", "Pod"), pod, store, kinds);
    Map<String, @Nullable Object> created = store.create(kind("v1", "Pod"), pod);
    event(rs, "Normal", "SuccessfulCreate", "Created pod: " + podName, "replicaset-controller");
    return created;
  }

  private static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      text.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return text.toString();
  }

  /**
   * The scheduler: a pod whose claims are all bound goes to a node (round robin) and starts after
   * the start delay; one with a missing or unbound claim stays Pending, Unschedulable, with the
   * scheduler's event.
   */
  private void schedule(@Nullable String namespace, String podName) {
    Kinds.Kind pods = kind("v1", "Pod");
    Map<String, @Nullable Object> pod = store.get(pods, namespace, podName);
    if (pod == null || Doc.string(pod, "spec.nodeName") != null) {
      if (pod != null && Doc.string(pod, "status.podIP") == null) {
        later(namespace, podName);
      }
      return;
    }
    String problem = unboundClaim(pod, namespace);
    List<Map<String, @Nullable Object>> nodes = store.list(kind("v1", "Node"), null, n -> true);
    if (problem == null && nodes.isEmpty()) {
      problem = "no nodes available to schedule pods";
    }
    if (problem != null) {
      String message =
          "0/"
              + nodes.size()
              + " nodes are available: "
              + problem
              + ". preemption: 0/"
              + nodes.size()
              + " nodes are available: "
              + nodes.size()
              + " Preemption is not helpful for scheduling.";
      Map<String, @Nullable Object> status = Doc.map(pod, "status");
      List<Object> conditions =
          List.of(
              Doc.obj(
                  "type",
                  "PodScheduled",
                  "status",
                  "False",
                  "reason",
                  "Unschedulable",
                  "message",
                  message,
                  "lastTransitionTime",
                  Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
      if (!Objects.equals(Doc.get(status, "conditions.0"), conditions.get(0))
          && !message.equals(
              Doc.get(
                  Doc.list(status, "conditions").stream().findFirst().orElse(null), "message"))) {
        Map<String, @Nullable Object> updated =
            store.modify(
                pods,
                namespace,
                podName,
                p -> {
                  if (Doc.string(p, "spec.nodeName") == null) {
                    Doc.map(p, "status").put("conditions", conditions);
                  }
                });
        if (updated != null) {
          event(updated, "Warning", "FailedScheduling", message, "default-scheduler");
        }
      }
      return;
    }
    Map<String, @Nullable Object> node = nodes.get(nextNode++ % nodes.size());
    String nodeName = String.valueOf(Doc.string(node, "metadata.name"));
    boolean[] bound = {false};
    Map<String, @Nullable Object> scheduled =
        store.modify(
            pods,
            namespace,
            podName,
            p -> {
              if (Doc.string(p, "spec.nodeName") != null) {
                return; // bound meanwhile
              }
              bound[0] = true;
              Doc.map(p, "spec").put("nodeName", nodeName);
              Doc.map(p, "status")
                  .put(
                      "conditions",
                      List.of(
                          Doc.obj(
                              "type",
                              "PodScheduled",
                              "status",
                              "True",
                              "lastTransitionTime",
                              Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())));
            });
    if (scheduled == null || !bound[0]) {
      return;
    }
    event(
        pod,
        "Normal",
        "Scheduled",
        "Successfully assigned " + namespace + "/" + podName + " to " + nodeName,
        "default-scheduler");
    later(namespace, podName);
  }

  private void later(@Nullable String namespace, String podName) {
    // The scheduled task only hands the start to submit(), which cannot fail; nothing to await.
    @SuppressWarnings("FutureReturnValueIgnored")
    Object unused =
        executor.schedule(
            () -> submit(() -> start(namespace, podName)),
            podStartDelay.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Why a pod cannot be scheduled for its claims, or null. */
  private @Nullable String unboundClaim(
      Map<String, @Nullable Object> pod, @Nullable String namespace) {
    Kinds.Kind claims = kind("v1", "PersistentVolumeClaim");
    for (Object volume : Doc.list(pod, "spec.volumes")) {
      String claimName = (String) Doc.get(volume, "persistentVolumeClaim.claimName");
      if (claimName == null) {
        continue;
      }
      Map<String, @Nullable Object> claim = store.get(claims, namespace, claimName);
      if (claim == null) {
        return "persistentvolumeclaim \"" + claimName + "\" not found";
      }
      if (!"Bound".equals(Doc.string(claim, "status.phase"))) {
        return "pod has unbound immediate PersistentVolumeClaims";
      }
    }
    return null;
  }

  /** Schedules the pods of a namespace that wait for their claims. */
  private void retryPending(@Nullable String namespace) {
    Kinds.Kind pods = kind("v1", "Pod");
    for (Map<String, @Nullable Object> pod :
        store.list(pods, namespace, p -> Doc.string(p, "spec.nodeName") == null)) {
      schedule(namespace, String.valueOf(Doc.string(pod, "metadata.name")));
    }
  }

  /** Records an Event about {@code object}, as the named component would. */
  private void event(
      Map<String, @Nullable Object> object,
      String type,
      String reason,
      String message,
      String component) {
    String namespace =
        Objects.requireNonNullElse(Doc.string(object, "metadata.namespace"), "default");
    if (!active(namespace)) {
      return;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Map<String, @Nullable Object> event =
        Doc.obj(
            "apiVersion",
            "v1",
            "kind",
            "Event",
            "metadata",
            Doc.obj(
                "name",
                Doc.string(object, "metadata.name")
                    + "."
                    + Long.toHexString(System.nanoTime())
                    + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)),
                "namespace",
                namespace),
            "involvedObject",
            Doc.obj(
                "apiVersion",
                object.get("apiVersion"),
                "kind",
                object.get("kind"),
                "namespace",
                namespace,
                "name",
                Doc.string(object, "metadata.name"),
                "uid",
                Doc.string(object, "metadata.uid")),
            "reason",
            reason,
            "message",
            message,
            "type",
            type,
            "source",
            Doc.obj("component", component),
            "firstTimestamp",
            now,
            "lastTimestamp",
            now,
            "count",
            1L,
            "reportingComponent",
            component,
            "reportingInstance",
            "");
    try {
      store.create(kind("v1", "Event"), event);
    } catch (Status e) {
      // the namespace is going away
    }
  }

  /**
   * The kubelet: pulls (or, for a failing image, backs off), then runs the containers; init
   * containers first, one after the other.
   */
  private void start(@Nullable String namespace, String podName) {
    Kinds.Kind pods = kind("v1", "Pod");
    Map<String, @Nullable Object> pod = store.get(pods, namespace, podName);
    if (pod == null || Doc.string(pod, "spec.nodeName") == null) {
      return;
    }
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Object> statuses = new ArrayList<>();
    boolean allStarted = true;
    List<Object> initStatuses = new ArrayList<>();
    for (Object container : Doc.list(pod, "spec.initContainers")) {
      String image = String.valueOf(Doc.get(container, "image"));
      if (allStarted && failingImages.contains(image)) {
        allStarted = false;
        initStatuses.add(containerStatus(container, false, pullBackOff(image), false));
        pullFailed(pod, image);
      } else if (allStarted) {
        initStatuses.add(
            containerStatus(
                container,
                false,
                Doc.obj(
                    "terminated",
                    Doc.obj(
                        "exitCode",
                        0L,
                        "reason",
                        "Completed",
                        "startedAt",
                        started,
                        "finishedAt",
                        started)),
                true));
        ran(pod, container, image);
      } else {
        initStatuses.add(containerStatus(container, false, podInitializing(), false));
      }
    }
    boolean initialized = allStarted;
    for (Object container : Doc.list(pod, "spec.containers")) {
      String image = String.valueOf(Doc.get(container, "image"));
      if (!initialized) {
        statuses.add(containerStatus(container, false, podInitializing(), false));
      } else if (failingImages.contains(image)) {
        allStarted = false;
        statuses.add(containerStatus(container, false, pullBackOff(image), false));
        pullFailed(pod, image);
      } else {
        Map<String, @Nullable Object> running =
            containerStatus(
                container, true, Doc.obj("running", Doc.obj("startedAt", started)), true);
        running.put("started", true);
        statuses.add(running);
        ran(pod, container, image);
      }
    }
    Map<String, @Nullable Object> status = Doc.obj();
    status.put("containerStatuses", statuses);
    if (!initStatuses.isEmpty()) {
      status.put("initContainerStatuses", initStatuses);
    }
    status.put("hostIP", nodeAddress(String.valueOf(Doc.string(pod, "spec.nodeName"))));
    status.put("hostIPs", List.of(Doc.obj("ip", status.get("hostIP"))));
    status.put("startTime", started);
    String ready = allStarted ? "True" : "False";
    status.put(
        "conditions",
        List.of(
            Doc.obj("type", "PodReadyToStartContainers", "status", "True"),
            Doc.obj("type", "Initialized", "status", initialized ? "True" : "False"),
            Doc.obj("type", "Ready", "status", ready),
            Doc.obj("type", "ContainersReady", "status", ready),
            Doc.obj("type", "PodScheduled", "status", "True")));
    if (allStarted) {
      status.put("phase", "Running");
      String ip = "10.244.0." + nextPodIp++;
      status.put("podIP", ip);
      status.put("podIPs", List.of(Doc.obj("ip", ip)));
    }
    // Onto the pod as stored now, so that labels or annotations set meanwhile stay.
    store.modify(pods, namespace, podName, p -> Doc.map(p, "status").putAll(status));
  }

  private String nodeAddress(String nodeName) {
    Map<String, @Nullable Object> node = store.get(kind("v1", "Node"), null, nodeName);
    for (Object address : Doc.list(node, "status.addresses")) {
      if ("InternalIP".equals(Doc.get(address, "type"))) {
        return String.valueOf(Doc.get(address, "address"));
      }
    }
    return "10.0.0.1";
  }

  private void ran(Map<String, @Nullable Object> pod, Object container, String image) {
    String name = String.valueOf(Doc.get(container, "name"));
    event(
        pod,
        "Normal",
        "Pulled",
        "Container image \"" + image + "\" already present on machine",
        "kubelet");
    event(pod, "Normal", "Created", "Created container: " + name, "kubelet");
    event(pod, "Normal", "Started", "Started container " + name, "kubelet");
  }

  private void pullFailed(Map<String, @Nullable Object> pod, String image) {
    event(pod, "Normal", "Pulling", "Pulling image \"" + image + "\"", "kubelet");
    event(
        pod,
        "Warning",
        "Failed",
        "Failed to pull image \""
            + image
            + "\": rpc error: code = NotFound desc = failed to pull"
            + " and unpack image \""
            + image
            + "\": not found",
        "kubelet");
    event(pod, "Normal", "BackOff", "Back-off pulling image \"" + image + "\"", "kubelet");
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
    store.modify(
        claims,
        namespace,
        name,
        c -> {
          Doc.map(c, "spec").put("volumeName", volume);
          Doc.map(c, "status").put("phase", "Bound");
          Doc.map(c, "status").put("capacity", Doc.obj("storage", storage));
        });
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

  /** Whether controllers may still create objects in a namespace (it exists, not terminating). */
  private boolean active(@Nullable String namespace) {
    if (namespace == null) {
      return true;
    }
    Map<String, @Nullable Object> ns = store.get(kind("v1", "Namespace"), null, namespace);
    return ns != null && Doc.get(ns, "metadata.deletionTimestamp") == null;
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

  /**
   * A container's status entry in a pod: its name, image (and, once pulled, the image's digest and
   * the container's id), readiness and state.
   */
  private static Map<String, @Nullable Object> containerStatus(
      Object container, boolean ready, Map<String, @Nullable Object> state, boolean pulled) {
    String image = String.valueOf(Doc.get(container, "image"));
    Map<String, @Nullable Object> status =
        Doc.obj(
            "name",
            String.valueOf(Doc.get(container, "name")),
            "image",
            image,
            "imageID",
            pulled ? imageId(image) : "",
            "ready",
            ready,
            "restartCount",
            0L,
            "started",
            false,
            "state",
            state,
            "lastState",
            Doc.obj());
    if (pulled) {
      status.put("containerID", "containerd://" + digest(image + System.nanoTime()));
    }
    return status;
  }

  /** The repository digest a runtime reports for an image: docker.io/library/nginx@sha256:... */
  static String imageId(String image) {
    String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int tag = name.lastIndexOf(':');
    if (tag > name.lastIndexOf('/')) {
      name = name.substring(0, tag);
    }
    String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
    if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
      name = "docker.io/" + (name.contains("/") ? name : "library/" + name);
    }
    return name + "@sha256:" + digest(image);
  }

  private static String digest(String text) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
