package dev.devkube.testkit.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The Deployment and ReplicaSet controllers: a Deployment owns a ReplicaSet per pod template (named
 * by the template's hash, with revision annotations); a ReplicaSet keeps its pods.
 */
final class Workloads extends Reconciler {
  Workloads(Store store, Kinds kinds) {
    super(store, kinds);
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

  static long revision(Map<String, @Nullable Object> object) {
    try {
      return Long.parseLong(
          Objects.requireNonNullElse(
              Doc.strings(object, "metadata.annotations").get(REVISION), "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  static final String REVISION = "deployment.kubernetes.io/revision";

  /**
   * A Deployment owns one ReplicaSet per template (named by the template's hash, with a revision
   * annotation); the one matching the current template gets all replicas and the newest revision,
   * the others are scaled to zero, as a rollout that has finished.
   */
  void reconcileDeployment(@Nullable String namespace, String name) {
    Kinds.Kind deployments = kind("apps/v1", "Deployment");
    Kinds.Kind replicaSets = kind("apps/v1", "ReplicaSet");
    Map<String, @Nullable Object> deployment = store.get(deployments, namespace, name);
    if (deployment == null) {
      return;
    }
    String uid = String.valueOf(Doc.string(deployment, "metadata.uid"));
    Object generation = Doc.get(deployment, "metadata.generation");
    long desired = replicas(deployment);
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
  static Map<String, @Nullable Object> condition(
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
  void reconcileReplicaSet(@Nullable String namespace, String name) {
    Kinds.Kind replicaSets = kind("apps/v1", "ReplicaSet");
    Kinds.Kind pods = kind("v1", "Pod");
    Map<String, @Nullable Object> rs = store.get(replicaSets, namespace, name);
    if (rs == null) {
      return;
    }
    String uid = String.valueOf(Doc.string(rs, "metadata.uid"));
    long desired = replicas(rs);
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

  Map<String, @Nullable Object> createPod(
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
}
