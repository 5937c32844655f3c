package dev.devkube.k8s;

import dev.devkube.ConflictException;
import dev.devkube.NotFoundException;
import dev.devkube.internal.Validation;
import dev.devkube.k8s.internal.Attempts;
import dev.devkube.k8s.internal.KubeHttp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import org.jspecify.annotations.Nullable;

/**
 * One object on the server, and the verbs that act on it. Made by {@link KubeClient#resource}: the
 * object's apiVersion and kind say where it lives, its namespace (or the client's default) and its
 * name which one it is.
 *
 * <pre>{@code
 * KubeObject cm = KubeObject.of("v1", "ConfigMap", "settings").set("data.mode", "dev");
 * kube.resource(cm).apply();                       // server-side apply, field manager "devkube"
 * Optional<KubeObject> current = kube.resource(cm).get();
 * kube.resource(cm).delete();                      // false if it was already gone
 * }</pre>
 */
public final class KubeResource {
  private static final MediaType APPLY = MediaType.get("application/apply-patch+yaml");
  private static final Set<String> COLON_NAMES =
      Set.of("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding");

  private final KubeClient client;
  private final KubeObject object;
  private final ResourceType type;
  private final @Nullable String namespace;

  KubeResource(KubeClient client, KubeObject object) {
    String apiVersion = object.apiVersion();
    String kind = object.kind();
    if (apiVersion == null || kind == null) {
      throw new IllegalArgumentException(
          "object "
              + object
              + " needs apiVersion and kind (note:"
              + " apiVersion, not api_version), such as apiVersion: v1, kind: ConfigMap");
    }
    this.client = client;
    this.object = object.copy();
    this.type = client.resolve(apiVersion, kind);
    String ns = object.namespace();
    this.namespace = type.namespaced() ? (ns != null ? ns : client.namespace()) : null;
    if (type.namespaced()) {
      Validation.requireDnsLabel(kind + " namespace", namespace);
      this.object.set("metadata.namespace", namespace);
    }
  }

  /** A copy of the object this handle was made from. */
  public KubeObject object() {
    return object.copy();
  }

  /** The object's kind: its plural, scope and paths. */
  public ResourceType type() {
    return type;
  }

  /** The namespace, or null for a cluster-scoped kind. */
  public @Nullable String namespace() {
    return namespace;
  }

  /** The object's name. */
  public String name() {
    String name = object.name();
    if (name == null) {
      throw new IllegalArgumentException(type.kind() + " has no metadata.name: give it a name");
    }
    requireValidName(type.kind(), name);
    return name;
  }

  /** Creates the object; it may have a name or a {@code metadata.generateName}. */
  public KubeObject create() {
    if (object.name() == null && object.generateName() == null) {
      throw new IllegalArgumentException(
          type.kind() + " has neither metadata.name nor" + " metadata.generateName: give it one");
    }
    if (object.name() != null) {
      name();
    }
    return client
        .http()
        .send(
            "POST",
            url(type.collectionPath(namespace), query()),
            object.toJson(),
            KubeHttp.JSON,
            "create " + describe());
  }

  /** The object as the server has it now, or empty when it does not exist. */
  public Optional<KubeObject> get() {
    return client
        .http()
        .sendOptional(
            "GET", url(type.itemPath(namespace, name())), null, null, "get " + describe());
  }

  /**
   * Replaces the object with this one. Optimistic: it must carry the {@code
   * metadata.resourceVersion} it was read with, and fails with a {@link ConflictException} if the
   * object changed since.
   */
  public KubeObject replace() {
    if (object.resourceVersion() == null) {
      throw new IllegalArgumentException(
          "replace of "
              + describe()
              + " needs"
              + " metadata.resourceVersion: get() the object first and change that, or use apply()");
    }
    Attempts attempts = new Attempts();
    try {
      return client
          .http()
          .send(
              "PUT",
              url(type.itemPath(namespace, name()), query()),
              object.toJson(),
              KubeHttp.JSON,
              "replace " + describe(),
              attempts);
    } catch (ConflictException e) {
      // A retry after a lost answer meets 409 when the first PUT was saved (it moved the
      // resource version on): then the stored object is what was sent, and that is a success.
      if (attempts.answerLost()) {
        Optional<KubeObject> stored = get();
        if (stored.isPresent() && holdsEverythingSent(stored.get())) {
          return stored.get();
        }
      }
      throw e;
    }
  }

  /** Whether {@code stored} has every field this object sends, as sent (server fields aside). */
  private boolean holdsEverythingSent(KubeObject stored) {
    Map<String, @Nullable Object> sent = object.toMap();
    sent.remove("status");
    Object metadata = sent.get("metadata");
    if (metadata instanceof Map<?, ?> fields) {
      for (String serverField :
          List.of("resourceVersion", "generation", "managedFields", "uid", "creationTimestamp")) {
        fields.remove(serverField);
      }
    }
    return contains(stored.toMap(), sent);
  }

  private static boolean contains(@Nullable Object stored, @Nullable Object sent) {
    if (sent instanceof Map<?, ?> sentMap) {
      if (!(stored instanceof Map<?, ?> storedMap)) {
        return false;
      }
      for (Map.Entry<?, ?> entry : sentMap.entrySet()) {
        if (!contains(storedMap.get(entry.getKey()), entry.getValue())) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(stored, sent);
  }

  /** Sends {@code patch} and returns the object as patched. */
  public KubeObject patch(Patch patch) {
    return client
        .http()
        .send(
            "PATCH",
            url(type.itemPath(namespace, name()), query()),
            patch.body(),
            MediaType.get(patch.type().contentType()),
            "patch " + describe());
  }

  /**
   * Server-side apply under the client's field manager ({@code devkube} unless set): creates the
   * object, or sets the fields this object gives, leaving fields others manage alone. Not forced: a
   * field another manager owns is a {@link ConflictException} naming it.
   */
  public KubeObject apply() {
    return apply(client.fieldManager(), false);
  }

  /** Server-side apply that takes over fields other managers own. */
  public KubeObject forceApply() {
    return apply(client.fieldManager(), true);
  }

  /** Server-side apply as {@code fieldManager}, forced or not. */
  public KubeObject apply(String fieldManager, boolean force) {
    Validation.requireNonBlank("field manager", fieldManager);
    KubeObject body = object.copy().remove("metadata.managedFields");
    String[] query =
        force
            ? new String[] {"fieldManager", fieldManager, "force", "true"}
            : new String[] {"fieldManager", fieldManager};
    return client
        .http()
        .send(
            "PATCH",
            url(type.itemPath(namespace, name()), query),
            body.toJson(),
            APPLY,
            "apply " + describe());
  }

  /**
   * Creates the object, or replaces it when it exists (with the current resource version). Prefer
   * {@link #apply()}, which merges instead of overwriting.
   */
  public KubeObject createOrReplace() {
    try {
      return create();
    } catch (ConflictException e) {
      if (!e.isAlreadyExists()) {
        throw e;
      }
    }
    for (int attempt = 0; ; attempt++) {
      KubeObject current =
          get()
              .orElseThrow(
                  () ->
                      new ConflictException(
                          "replace " + describe() + " failed: it was deleted while being replaced",
                          dev.devkube.ApiError.of(409, "Conflict", null)));
      KubeObject next = object.copy().set("metadata.resourceVersion", current.resourceVersion());
      try {
        return new KubeResource(client, next).replace();
      } catch (ConflictException e) {
        if (attempt >= 2) {
          throw e;
        }
      }
    }
  }

  /** Deletes the object (background propagation); false when it did not exist. */
  public boolean delete() {
    return delete(Propagation.BACKGROUND, null);
  }

  /** Deletes the object with {@code propagation}; false when it did not exist. */
  public boolean delete(Propagation propagation) {
    return delete(propagation, null);
  }

  /**
   * Deletes the object with {@code propagation} and, when given, a grace period; false when it did
   * not exist. Returns once the server accepted the deletion, which may complete later.
   */
  public boolean delete(Propagation propagation, @Nullable Duration gracePeriod) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("apiVersion", "v1");
    options.put("kind", "DeleteOptions");
    options.put("propagationPolicy", propagation.value());
    if (gracePeriod != null) {
      options.put("gracePeriodSeconds", gracePeriod.toSeconds());
    }
    Attempts attempts = new Attempts();
    try {
      client
          .http()
          .send(
              "DELETE",
              url(type.itemPath(namespace, name())),
              KubeObject.from(options).toJson(),
              KubeHttp.JSON,
              "delete " + describe(),
              attempts);
      return true;
    } catch (NotFoundException e) {
      // Gone on a retry after a lost answer: the first DELETE did it.
      return attempts.answerLost();
    }
  }

  /**
   * Watches this one object: its current state first (ADDED, if it exists), then every change,
   * until the watch is closed. See {@link Watch}.
   */
  public Watch watch(WatchListener listener) {
    return new KubeCollection(
            client,
            type,
            namespace,
            java.util.List.of(),
            java.util.List.of("metadata.name=" + name()))
        .watch(listener);
  }

  /**
   * Waits until {@code condition} holds for this object and returns the object as it was then.
   * Reacts to the server's change events (a watch), not to sleeps; polls only if watching is
   * forbidden.
   *
   * <pre>{@code
   * KubeObject ready = kube.resource(deployment)
   *     .waitUntil(Conditions.deploymentAvailable(), Duration.ofMinutes(5));
   * }</pre>
   *
   * @throws dev.devkube.WaitTimeoutException when {@code timeout} passes, naming the object, the
   *     condition and the last state seen (e.g. {@code Pending (nfs: ImagePullBackOff: ...)})
   * @throws dev.devkube.WaitFailedException at once when the condition can no longer hold
   */
  public KubeObject waitUntil(Condition condition, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout " + timeout + " is not positive");
    }
    return new ObjectWait(this, condition).await(timeout);
  }

  KubeClient client() {
    return client;
  }

  private String[] query() {
    return new String[] {"fieldManager", client.fieldManager()};
  }

  private HttpUrl url(String path, String... query) {
    return client.http().url(path, query);
  }

  /** {@code Deployment default/nfs}, for messages. */
  String describe() {
    String name = object.name() != null ? object.name() : object.generateName() + "*";
    return type.kind() + " " + (namespace == null ? "" : namespace + "/") + name;
  }

  /** Names are DNS subdomains, except Service and Namespace (labels) and RBAC kinds (':' too). */
  static void requireValidName(String kind, String name) {
    if (kind.equals("Service") || kind.equals("Namespace")) {
      Validation.requireDnsLabel(kind + " name", name);
    } else if (COLON_NAMES.contains(kind)) {
      if (name.isEmpty()
          || name.contains("/")
          || name.contains("%")
          || name.equals(".")
          || name.equals("..")) {
        throw new IllegalArgumentException(
            kind
                + " name \""
                + name
                + "\" is not valid: it may not"
                + " be empty, '.', '..' or contain '/' or '%'");
      }
    } else {
      Validation.requireDnsSubdomain(kind + " name", name);
    }
  }

  @Override
  public String toString() {
    return "KubeResource[" + describe() + "]";
  }
}
