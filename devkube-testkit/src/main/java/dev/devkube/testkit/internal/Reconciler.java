package dev.devkube.testkit.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** What the simulated controllers share: the store, the kinds, events, and ownership helpers. */
abstract class Reconciler {
  final Store store;
  final Kinds kinds;

  Reconciler(Store store, Kinds kinds) {
    this.store = store;
    this.kinds = kinds;
  }

  Kinds.Kind kind(String apiVersion, String kind) {
    return Objects.requireNonNull(kinds.byKind(apiVersion, kind), kind);
  }

  static java.util.Optional<String> ownerOf(Map<String, @Nullable Object> object, String kind) {
    for (Object owner : Doc.list(object, "metadata.ownerReferences")) {
      if (kind.equals(Doc.get(owner, "kind"))) {
        return java.util.Optional.of(String.valueOf(Doc.get(owner, "name")));
      }
    }
    return java.util.Optional.empty();
  }

  static Map<String, @Nullable Object> ownerReference(
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

  static String randomSuffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      text.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return text.toString();
  }

  /** Records an Event about {@code object}, as the named component would. */
  void event(
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

  /** Whether controllers may still create objects in a namespace (it exists, not terminating). */
  boolean active(@Nullable String namespace) {
    if (namespace == null) {
      return true;
    }
    Map<String, @Nullable Object> ns = store.get(kind("v1", "Namespace"), null, namespace);
    return ns != null && Doc.get(ns, "metadata.deletionTimestamp") == null;
  }

  void deleteQuietly(Kinds.Kind kind, @Nullable String namespace, String name) {
    try {
      store.delete(kind, namespace, name);
    } catch (Status e) {
      // already gone
    }
  }

  static boolean ownedBy(Map<String, @Nullable Object> pod, String uid) {
    for (Object owner : Doc.list(pod, "metadata.ownerReferences")) {
      if (uid.equals(Doc.get(owner, "uid"))) {
        return true;
      }
    }
    return false;
  }

  /** {@code spec.replicas}, 1 when it is not set (the API server's default). */
  static long replicas(@Nullable Object object) {
    return Doc.get(object, "spec.replicas") instanceof Number n ? n.longValue() : 1;
  }

  static boolean podReady(Map<String, @Nullable Object> pod) {
    for (Object condition : Doc.list(pod, "status.conditions")) {
      if ("Ready".equals(Doc.get(condition, "type"))
          && "True".equals(Doc.get(condition, "status"))) {
        return true;
      }
    }
    return false;
  }
}
