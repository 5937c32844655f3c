package dev.devkube.testkit.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The fake API server's storage: objects by kind, namespace and name, one resource-version counter,
 * a bounded log of changes for watches to resume from, and the watches themselves.
 */
public final class Store {
  private static final int LOG_SIZE = 5_000;

  /** One change. */
  public record Change(
      long resourceVersion, String type, Kinds.Kind kind, Map<String, @Nullable Object> object) {}

  /** A watch's mailbox; a null-object change (type CLOSE) ends it. */
  public static final class Subscription {
    final Kinds.Kind kind;
    final @Nullable String namespace;
    final BlockingQueue<Change> queue = new LinkedBlockingQueue<>();

    Subscription(Kinds.Kind kind, @Nullable String namespace) {
      this.kind = kind;
      this.namespace = namespace;
    }

    public BlockingQueue<Change> queue() {
      return queue;
    }
  }

  private final TreeMap<String, Map<String, @Nullable Object>> objects = new TreeMap<>();
  private final Deque<Change> log = new ArrayDeque<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private long resourceVersion = 100;
  private long oldestRetained = 100;

  private static String key(Kinds.Kind kind, @Nullable String namespace, String name) {
    return kind.groupVersion()
        + "|"
        + kind.plural()
        + "|"
        + (namespace == null ? "" : namespace)
        + "|"
        + name;
  }

  private static String prefix(Kinds.Kind kind, @Nullable String namespace) {
    return kind.groupVersion()
        + "|"
        + kind.plural()
        + "|"
        + (namespace == null ? "" : namespace + "|");
  }

  /** Called after every change, outside the store's lock. */
  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }

  public synchronized long resourceVersion() {
    return resourceVersion;
  }

  public synchronized @Nullable Map<String, @Nullable Object> get(
      Kinds.Kind kind, @Nullable String namespace, String name) {
    Map<String, @Nullable Object> object = objects.get(key(kind, namespace, name));
    return object == null ? null : Doc.copy(object);
  }

  /** A list as of one resourceVersion: the objects, and the version they are the state at. */
  public record Snapshot(List<Map<String, @Nullable Object>> items, long resourceVersion) {}

  /**
   * As {@link #list}, with the resourceVersion read under the same lock: a client that watches from
   * it gets every change the list does not show, as from an API server's consistent list.
   */
  public synchronized Snapshot snapshot(
      Kinds.Kind kind,
      @Nullable String namespace,
      Predicate<Map<String, @Nullable Object>> filter) {
    return new Snapshot(list(kind, namespace, filter), resourceVersion);
  }

  /** Objects of a kind, in one namespace or (null) all, matching {@code filter}, by key order. */
  public synchronized List<Map<String, @Nullable Object>> list(
      Kinds.Kind kind,
      @Nullable String namespace,
      Predicate<Map<String, @Nullable Object>> filter) {
    List<Map<String, @Nullable Object>> result = new ArrayList<>();
    String prefix = prefix(kind, namespace);
    for (Map.Entry<String, Map<String, @Nullable Object>> e :
        objects.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      if (filter.test(e.getValue())) {
        result.add(Doc.copy(e.getValue()));
      }
    }
    return result;
  }

  /** Stores a new object, filling uid, resourceVersion, creationTimestamp and generation. */
  public Map<String, @Nullable Object> create(
      Kinds.Kind kind, Map<String, @Nullable Object> object) {
    return create(kind, object, false);
  }

  /**
   * As {@link #create(Kinds.Kind, Map)}; with {@code dryRun}, checks and answers what would be
   * stored (without a resourceVersion) and stores nothing.
   */
  public Map<String, @Nullable Object> create(
      Kinds.Kind kind, Map<String, @Nullable Object> object, boolean dryRun) {
    Change change;
    synchronized (this) {
      String namespace = Doc.string(object, "metadata.namespace");
      String name = Objects.requireNonNull(Doc.string(object, "metadata.name"));
      String key = key(kind, kind.namespaced() ? namespace : null, name);
      if (objects.containsKey(key)) {
        throw Status.alreadyExists(kind, name);
      }
      Map<String, @Nullable Object> stored = Doc.copy(object);
      Map<String, @Nullable Object> metadata = Doc.map(stored, "metadata");
      metadata.put("uid", UUID.randomUUID().toString());
      metadata.put("creationTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      metadata.put("generation", 1L);
      if (dryRun) {
        return stored;
      }
      change = record("ADDED", kind, key, stored);
    }
    publish(change);
    return Doc.copy(change.object());
  }

  /**
   * Replaces an object. Refuses a stale resourceVersion; changes nothing (and keeps the version)
   * when the new object equals the stored one; bumps generation when the spec changed.
   */
  public Map<String, @Nullable Object> update(
      Kinds.Kind kind, Map<String, @Nullable Object> object) {
    return update(kind, object, false);
  }

  /** As {@link #update(Kinds.Kind, Map)}; with {@code dryRun}, answers and stores nothing. */
  public Map<String, @Nullable Object> update(
      Kinds.Kind kind, Map<String, @Nullable Object> object, boolean dryRun) {
    Change change;
    synchronized (this) {
      String namespace = kind.namespaced() ? Doc.string(object, "metadata.namespace") : null;
      String name = Objects.requireNonNull(Doc.string(object, "metadata.name"));
      String key = key(kind, namespace, name);
      Map<String, @Nullable Object> current = objects.get(key);
      if (current == null) {
        throw Status.notFound(kind, name);
      }
      String given = Doc.string(object, "metadata.resourceVersion");
      if (given != null && !given.equals(Doc.string(current, "metadata.resourceVersion"))) {
        throw Status.conflict(kind, name);
      }
      Map<String, @Nullable Object> next = successor(current, Doc.copy(object));
      if (next == null) {
        return Doc.copy(current);
      }
      if (dryRun) {
        return next;
      }
      change = record("MODIFIED", kind, key, next);
    }
    publish(change);
    return Doc.copy(change.object());
  }

  /**
   * A controller's write: applies {@code change} to a copy of the object as stored now, under the
   * store's lock, and stores the result (bumping generation when the spec changed; nothing when
   * nothing changed). Nothing another writer stored in the meantime is lost, as with a real
   * controller's conflict-checked update and retry.
   *
   * @return the stored object, or null when there is none
   */
  public @Nullable Map<String, @Nullable Object> modify(
      Kinds.Kind kind,
      @Nullable String namespace,
      String name,
      Consumer<Map<String, @Nullable Object>> change) {
    Change recorded;
    synchronized (this) {
      String key = key(kind, kind.namespaced() ? namespace : null, name);
      Map<String, @Nullable Object> current = objects.get(key);
      if (current == null) {
        return null;
      }
      Map<String, @Nullable Object> changed = Doc.copy(current);
      change.accept(changed);
      Map<String, @Nullable Object> next = successor(current, changed);
      if (next == null) {
        return Doc.copy(current);
      }
      recorded = record("MODIFIED", kind, key, next);
    }
    publish(recorded);
    return Doc.copy(recorded.object());
  }

  /**
   * {@code next} as the successor of {@code current}: the server-kept metadata carried over and the
   * generation bumped when the spec changed; null when nothing changed.
   */
  private static @Nullable Map<String, @Nullable Object> successor(
      Map<String, @Nullable Object> current, Map<String, @Nullable Object> next) {
    Map<String, @Nullable Object> metadata = Doc.map(next, "metadata");
    for (String kept : List.of("uid", "creationTimestamp", "generation", "resourceVersion")) {
      metadata.put(kept, Doc.get(current, "metadata." + kept));
    }
    if (next.equals(current)) {
      return null;
    }
    if (!Objects.equals(next.get("spec"), current.get("spec"))) {
      Object generation = Doc.get(current, "metadata.generation");
      metadata.put(
          "generation", (generation instanceof Number number ? number.longValue() : 1L) + 1);
    }
    return next;
  }

  /** Removes an object; returns its last state, or throws NotFound. */
  public Map<String, @Nullable Object> delete(
      Kinds.Kind kind, @Nullable String namespace, String name) {
    return delete(kind, namespace, name, false);
  }

  /** As {@link #delete(Kinds.Kind, String, String)}; with {@code dryRun}, removes nothing. */
  public Map<String, @Nullable Object> delete(
      Kinds.Kind kind, @Nullable String namespace, String name, boolean dryRun) {
    Change change;
    synchronized (this) {
      String key = key(kind, kind.namespaced() ? namespace : null, name);
      Map<String, @Nullable Object> current = dryRun ? objects.get(key) : objects.remove(key);
      if (current == null) {
        throw Status.notFound(kind, name);
      }
      if (dryRun) {
        return Doc.copy(current);
      }
      resourceVersion++;
      Doc.map(current, "metadata").put("resourceVersion", String.valueOf(resourceVersion));
      change = new Change(resourceVersion, "DELETED", kind, current);
      append(change);
    }
    publish(change);
    return Doc.copy(change.object());
  }

  private Change record(
      String type, Kinds.Kind kind, String key, Map<String, @Nullable Object> object) {
    resourceVersion++;
    Doc.map(object, "metadata").put("resourceVersion", String.valueOf(resourceVersion));
    objects.put(key, object);
    Change change = new Change(resourceVersion, type, kind, Doc.copy(object));
    append(change);
    return change;
  }

  /**
   * Logs a change and queues it for every watch, under the store's lock: no one can see a
   * resourceVersion (a list, a bookmark) before the changes up to it are in every watch's queue,
   * and watches get changes in resourceVersion order, as from an API server's watch cache.
   */
  private void append(Change change) {
    log.addLast(change);
    while (log.size() > LOG_SIZE) {
      oldestRetained = log.removeFirst().resourceVersion();
    }
    for (Subscription subscription : subscriptions) {
      if (matches(subscription, change)) {
        subscription.queue.add(change);
      }
    }
  }

  /** Tells the controllers, outside the store's lock (they write back through it). */
  private void publish(Change change) {
    for (Consumer<Change> listener : listeners) {
      listener.accept(change);
    }
  }

  /**
   * The resourceVersion a bookmark for {@code subscription} may carry now, or -1 when changes are
   * still queued for it: a bookmark never runs ahead of the events its watch has yet to send (a
   * client resumes from a bookmark's version and would skip them).
   */
  public synchronized long bookmarkVersion(Subscription subscription) {
    return subscription.queue.isEmpty() ? resourceVersion : -1;
  }

  private static boolean matches(Subscription subscription, Change change) {
    return subscription.kind.equals(change.kind())
        && (subscription.namespace == null
            || subscription.namespace.equals(Doc.string(change.object(), "metadata.namespace")));
  }

  /**
   * Starts a watch after {@code fromVersion}: queues the changes since then, or, with no version,
   * an ADDED for each current object.
   *
   * @throws Status 410 when the version is older than the log keeps
   */
  public synchronized Subscription subscribe(
      Kinds.Kind kind, @Nullable String namespace, @Nullable String fromVersion) {
    Subscription subscription = new Subscription(kind, namespace);
    if (fromVersion == null || fromVersion.isEmpty() || fromVersion.equals("0")) {
      for (Map<String, @Nullable Object> object : list(kind, namespace, o -> true)) {
        subscription.queue.add(new Change(resourceVersion, "ADDED", kind, object));
      }
    } else {
      long from;
      try {
        from = Long.parseLong(fromVersion);
      } catch (NumberFormatException e) {
        throw Status.badRequest("invalid resource version \"" + fromVersion + "\"");
      }
      if (from < oldestRetained) {
        throw Status.gone("too old resource version: " + from + " (" + oldestRetained + ")");
      }
      for (Change change : log) {
        if (change.resourceVersion() > from && matches(subscription, change)) {
          subscription.queue.add(change);
        }
      }
    }
    subscriptions.add(subscription);
    return subscription;
  }

  /** How many watches are open. */
  public int subscriptions() {
    return subscriptions.size();
  }

  public void unsubscribe(Subscription subscription) {
    subscriptions.remove(subscription);
  }

  /** Ends every watch with 410 and forgets the log, as an API server's compaction would. */
  public void expireWatches() {
    synchronized (this) {
      log.clear();
      // Versions before now are gone; now itself (what a fresh list returns) can be watched.
      oldestRetained = resourceVersion;
    }
    for (Subscription subscription : subscriptions) {
      subscription.queue.add(new Change(-1, "EXPIRE", subscription.kind, Doc.obj()));
    }
  }

  /** Ends every watch normally, as on shutdown. */
  public void closeWatches() {
    for (Subscription subscription : subscriptions) {
      subscription.queue.add(new Change(-1, "CLOSE", subscription.kind, Doc.obj()));
    }
  }
}
