package dev.devkube.k8s;

import dev.devkube.Paginator;
import dev.devkube.internal.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The objects of one kind, narrowed by namespace, labels and fields. Immutable: each method returns
 * a narrower query; {@link #list()}, {@link #names()} and {@link #delete()} send it.
 *
 * <pre>{@code
 * for (KubeObject pod : kube.resources("v1", "Pod").inNamespace("dev")
 *     .withLabel("app.kubernetes.io/part-of", "devkube").list()) { ... }
 * List<String> nodes = kube.resources("v1", "Node").names();
 * }</pre>
 */
public final class KubeCollection {
  private static final int PAGE_SIZE = 500;
  private static final dev.devkube.Backoff RECONNECT =
      new dev.devkube.Backoff(
          java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(30), 2, 0.5);
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private final KubeClient client;
  private final ResourceType type;
  private final @Nullable String namespace;
  private final List<String> labelSelectors;
  private final List<String> fieldSelectors;

  KubeCollection(
      KubeClient client,
      ResourceType type,
      @Nullable String namespace,
      List<String> labelSelectors,
      List<String> fieldSelectors) {
    this.client = client;
    this.type = type;
    this.namespace = type.namespaced() ? namespace : null;
    this.labelSelectors = List.copyOf(labelSelectors);
    this.fieldSelectors = List.copyOf(fieldSelectors);
  }

  /** The kind listed: its plural, scope and paths. */
  public ResourceType type() {
    return type;
  }

  /** The namespace queried, or null for all namespaces (or a cluster-scoped kind). */
  public @Nullable String namespace() {
    return namespace;
  }

  /** This query in {@code namespace}. */
  public KubeCollection inNamespace(String namespace) {
    Validation.requireDnsLabel("namespace", namespace);
    return new KubeCollection(client, type, namespace, labelSelectors, fieldSelectors);
  }

  /** This query across every namespace. */
  public KubeCollection inAnyNamespace() {
    return new KubeCollection(client, type, null, labelSelectors, fieldSelectors);
  }

  /** Only objects labelled {@code key=value}. */
  public KubeCollection withLabel(String key, String value) {
    requireLabel(key, value);
    return withLabelSelector(key + "=" + value);
  }

  /** Only objects with all these labels. */
  public KubeCollection withLabels(Map<String, String> labels) {
    KubeCollection result = this;
    for (Map.Entry<String, String> label : labels.entrySet()) {
      result = result.withLabel(label.getKey(), label.getValue());
    }
    return result;
  }

  /** Only objects matching a label selector expression, e.g. {@code tier in (web, api),!canary}. */
  public KubeCollection withLabelSelector(String expression) {
    Validation.requireNonBlank("label selector", expression);
    List<String> selectors = new ArrayList<>(labelSelectors);
    selectors.add(expression.trim());
    return new KubeCollection(client, type, namespace, selectors, fieldSelectors);
  }

  /** Only objects whose field {@code key} is {@code value}, e.g. {@code status.phase=Running}. */
  public KubeCollection withField(String key, String value) {
    Validation.requireNonBlank("field", key);
    List<String> selectors = new ArrayList<>(fieldSelectors);
    selectors.add(key + "=" + value);
    return new KubeCollection(client, type, namespace, labelSelectors, selectors);
  }

  /** The label selector sent, or null for none. */
  public @Nullable String labelSelector() {
    return labelSelectors.isEmpty() ? null : String.join(",", labelSelectors);
  }

  /** The field selector sent, or null for none. */
  public @Nullable String fieldSelector() {
    return fieldSelectors.isEmpty() ? null : String.join(",", fieldSelectors);
  }

  /**
   * The matching objects, fetched {@value #PAGE_SIZE} at a time as the iteration reaches them. Each
   * item carries apiVersion and kind (list responses leave them out).
   */
  public Paginator<KubeObject> list() {
    requireVerb("list");
    return Paginator.of(
        token -> {
          KubeObject page =
              client
                  .http()
                  .send(
                      "GET",
                      client
                          .http()
                          .url(
                              type.collectionPath(namespace),
                              "labelSelector",
                              labelSelector(),
                              "fieldSelector",
                              fieldSelector(),
                              "limit",
                              String.valueOf(PAGE_SIZE),
                              "continue",
                              token),
                      null,
                      null,
                      "list " + describe());
          List<KubeObject> items = new ArrayList<>();
          for (Object item : page.getList("items")) {
            KubeObject object = KubeObject.from((Map<?, ?>) item);
            if (object.apiVersion() == null) {
              object.set("apiVersion", type.apiVersion());
            }
            if (object.kind() == null) {
              object.set("kind", type.kind());
            }
            items.add(object);
          }
          String next = page.getString("metadata.continue");
          return new Paginator.Page<>(items, next == null || next.isEmpty() ? null : next);
        });
  }

  /** The names of the matching objects. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    for (KubeObject object : list()) {
      names.add(object.name());
    }
    return names;
  }

  /**
   * Deletes every matching object in one request and returns how many the server listed as deleted.
   * A namespaced kind needs a namespace: the API has no cross-namespace delete.
   */
  public int delete() {
    requireVerb("deletecollection");
    if (type.namespaced() && namespace == null) {
      throw new IllegalArgumentException(
          "deleting " + type.plural() + " needs a namespace:" + " call inNamespace(...) first");
    }
    KubeObject answer =
        client
            .http()
            .send(
                "DELETE",
                client
                    .http()
                    .url(
                        type.collectionPath(namespace),
                        "labelSelector",
                        labelSelector(),
                        "fieldSelector",
                        fieldSelector()),
                null,
                null,
                "delete " + describe());
    return answer.getList("items").size();
  }

  /**
   * Watches the matching objects: lists them first (each delivered as ADDED), then streams every
   * change until the watch is closed. See {@link Watch}.
   */
  public Watch watch(WatchListener listener) {
    return watch(null, listener);
  }

  /**
   * Watches the matching objects from {@code resourceVersion} on, without listing first; null lists
   * first, as {@link #watch(WatchListener)}.
   */
  public Watch watch(@Nullable String resourceVersion, WatchListener listener) {
    requireVerb("watch");
    return new WatchLoop(
            client,
            type,
            namespace,
            labelSelector(),
            fieldSelector(),
            resourceVersion,
            listener,
            RECONNECT,
            client.clock())
        .start();
  }

  private void requireVerb(String verb) {
    if (!type.verbs().isEmpty() && !type.supports(verb)) {
      throw new IllegalArgumentException(
          type.kind()
              + " does not support "
              + verb
              + ": it supports "
              + String.join(", ", type.verbs()));
    }
  }

  private static void requireLabel(String key, String value) {
    int slash = key.lastIndexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean prefixOk =
        slash < 0
            || (slash <= 253
                && slash > 0
                && key.substring(0, slash)
                    .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"));
    if (!prefixOk || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "label key \""
              + key
              + "\" is not valid: use an optional DNS"
              + " prefix and '/', then up to 63 letters, digits, '-', '_' and '.'");
    }
    if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "label value \""
              + value
              + "\" is not valid: use up to 63"
              + " letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
    }
  }

  private String describe() {
    String where =
        namespace != null ? " in " + namespace : type.namespaced() ? " in all namespaces" : "";
    String selectors =
        (labelSelector() == null ? "" : " with labels " + labelSelector())
            + (fieldSelector() == null ? "" : " with fields " + fieldSelector());
    return type.plural() + where + selectors;
  }

  @Override
  public String toString() {
    return "KubeCollection[" + describe() + "]";
  }
}
