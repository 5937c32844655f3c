package dev.devkube.k8s;

import dev.devkube.k8s.internal.Json;
import dev.devkube.k8s.internal.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Any Kubernetes object, as the ordered JSON the API server speaks. It keeps every field it was
 * given, so an object read, changed and written back loses nothing, even fields this library has
 * never heard of. Typed accessors cover what every object has; {@link #get(String)} and {@link
 * #set(String, Object)} reach the rest by path.
 *
 * <pre>{@code
 * KubeObject cm = KubeObject.of("v1", "ConfigMap", "settings")
 *     .set("data.greeting", "hello")
 *     .label("app.kubernetes.io/name", "demo");
 * String image = deployment.getString("spec.template.spec.containers[0].image");
 * String app = deployment.getString("metadata.labels[\"app.kubernetes.io/name\"]");
 * }</pre>
 *
 * <p>A KubeObject is mutable and not thread-safe; {@link #copy()} makes an independent one.
 */
public final class KubeObject {
  private final Map<String, @Nullable Object> fields;

  private KubeObject(Map<String, @Nullable Object> fields) {
    this.fields = fields;
  }

  /** A new object with {@code apiVersion}, {@code kind} and {@code metadata.name}. */
  public static KubeObject of(String apiVersion, String kind, String name) {
    Map<String, @Nullable Object> fields = new LinkedHashMap<>();
    fields.put("apiVersion", Objects.requireNonNull(apiVersion, "apiVersion"));
    fields.put("kind", Objects.requireNonNull(kind, "kind"));
    Map<String, @Nullable Object> metadata = new LinkedHashMap<>();
    metadata.put("name", Objects.requireNonNull(name, "name"));
    fields.put("metadata", metadata);
    return new KubeObject(fields);
  }

  /** An object holding a deep copy of {@code map} (keys become strings). */
  public static KubeObject from(Map<?, ?> map) {
    return new KubeObject(copyMap(map));
  }

  /**
   * Parses a JSON object.
   *
   * @throws IllegalArgumentException when the text is not a JSON object
   */
  public static KubeObject parse(String json) {
    Object value = Json.parse(json);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException(
          "expected a JSON object, got "
              + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    @SuppressWarnings("unchecked")
    Map<String, @Nullable Object> map = (Map<String, @Nullable Object>) value;
    return new KubeObject(map);
  }

  /**
   * Parses YAML with one or more documents (separated by {@code ---}), as {@code kubectl apply -f}
   * reads them; empty documents are skipped.
   *
   * @throws IllegalArgumentException when a document is not a mapping
   */
  public static List<KubeObject> parseYaml(String yaml) {
    List<KubeObject> objects = new ArrayList<>();
    int index = 0;
    for (Object document : Yaml.parseAll(yaml)) {
      index++;
      if (!(document instanceof Map)) {
        throw new IllegalArgumentException("YAML document " + index + " is not a mapping");
      }
      objects.add(from((Map<?, ?>) document));
    }
    return objects;
  }

  /** {@code apiVersion}, e.g. {@code apps/v1}; null when not set. */
  public @Nullable String apiVersion() {
    return getString("apiVersion");
  }

  /** {@code kind}, e.g. {@code Deployment}; null when not set. */
  public @Nullable String kind() {
    return getString("kind");
  }

  /** {@code metadata.name}; null when not set. */
  public @Nullable String name() {
    return getString("metadata.name");
  }

  /** {@code metadata.namespace}; null when not set (or cluster-scoped). */
  public @Nullable String namespace() {
    return getString("metadata.namespace");
  }

  /** {@code metadata.generateName}; null when not set. */
  public @Nullable String generateName() {
    return getString("metadata.generateName");
  }

  /** {@code metadata.resourceVersion}, as the server last gave it; null when not set. */
  public @Nullable String resourceVersion() {
    return getString("metadata.resourceVersion");
  }

  /** {@code metadata.uid}, set by the server; null when not set. */
  public @Nullable String uid() {
    return getString("metadata.uid");
  }

  /** The labels; empty when there are none. */
  public Map<String, String> labels() {
    return stringMap("metadata.labels");
  }

  /** The annotations; empty when there are none. */
  public Map<String, String> annotations() {
    return stringMap("metadata.annotations");
  }

  /** Sets {@code metadata.namespace}; returns this object. */
  public KubeObject namespace(String namespace) {
    return set("metadata.namespace", namespace);
  }

  /** Sets one label; returns this object. */
  public KubeObject label(String key, String value) {
    return set("metadata.labels[\"" + key + "\"]", value);
  }

  /** Sets one annotation; returns this object. */
  public KubeObject annotation(String key, String value) {
    return set("metadata.annotations[\"" + key + "\"]", value);
  }

  /**
   * The value at {@code path}, or null when any part of it is missing. A path is field names joined
   * by '.', list indexes in brackets, and keys with dots in quoted brackets: {@code
   * spec.containers[0].ports[1].containerPort}, {@code metadata.labels["app.kubernetes.io/name"]}.
   */
  public @Nullable Object get(String path) {
    Object current = fields;
    for (Object step : steps(path)) {
      if (step instanceof Integer i && current instanceof List) {
        List<?> list = (List<?>) current;
        int index = i;
        current = index < list.size() ? list.get(index) : null;
      } else if (step instanceof String && current instanceof Map) {
        current = ((Map<?, ?>) current).get(step);
      } else {
        return null;
      }
    }
    return current;
  }

  /** The value at {@code path} as text (numbers and booleans too), or null when missing. */
  public @Nullable String getString(String path) {
    Object value = get(path);
    return value == null || value instanceof Map || value instanceof List ? null : value.toString();
  }

  /** The number at {@code path} as a long, or null when missing or not a number. */
  public @Nullable Long getLong(String path) {
    Object value = get(path);
    return value instanceof Number number ? number.longValue() : null;
  }

  /** The list at {@code path}, or an empty list. */
  public List<Object> getList(String path) {
    Object value = get(path);
    if (!(value instanceof List)) {
      return List.of();
    }
    return new ArrayList<>((List<?>) value);
  }

  /**
   * Sets the value at {@code path}, creating the maps on the way; a list index may be at most the
   * list's size (to append). Values are copied. Returns this object.
   */
  @SuppressWarnings("unchecked")
  public KubeObject set(String path, @Nullable Object value) {
    List<Object> steps = steps(path);
    Object current = fields;
    for (int i = 0; i < steps.size(); i++) {
      Object step = steps.get(i);
      boolean last = i == steps.size() - 1;
      Object nextStep = last ? null : steps.get(i + 1);
      if (step instanceof String string && current instanceof Map) {
        Map<String, @Nullable Object> map = (Map<String, @Nullable Object>) current;
        if (last) {
          map.put(string, deepCopy(value));
          return this;
        }
        Object child = map.get(step);
        if (child == null) {
          child = nextStep instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>();
          map.put(string, child);
        } else if (!(child instanceof Map || child instanceof List)) {
          throw new IllegalArgumentException(
              "cannot set "
                  + path
                  + ": part "
                  + (i + 2)
                  + " meets a "
                  + child.getClass().getSimpleName());
        }
        current = child;
      } else if (step instanceof Integer stepIndex && current instanceof List) {
        List<@Nullable Object> list = (List<@Nullable Object>) current;
        int index = stepIndex;
        if (index > list.size()) {
          throw new IllegalArgumentException(
              "index "
                  + index
                  + " in "
                  + path
                  + " is past the end"
                  + " of a list of "
                  + list.size()
                  + ": use at most "
                  + list.size()
                  + " to append");
        }
        if (last) {
          if (index == list.size()) {
            list.add(deepCopy(value));
          } else {
            list.set(index, deepCopy(value));
          }
          return this;
        }
        if (index == list.size()) {
          list.add(nextStep instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>());
        }
        current = list.get(index);
      } else {
        throw new IllegalArgumentException(
            "cannot set "
                + path
                + ": part "
                + (i + 1)
                + " meets a "
                + (current == null ? "null" : current.getClass().getSimpleName()));
      }
    }
    return this;
  }

  /** Removes the value at {@code path} if it is there; returns this object. */
  public KubeObject remove(String path) {
    List<Object> steps = steps(path);
    Object parent = steps.size() == 1 ? fields : get(pathOf(steps.subList(0, steps.size() - 1)));
    Object last = steps.get(steps.size() - 1);
    if (parent instanceof Map && last instanceof String) {
      ((Map<?, ?>) parent).remove(last);
    } else if (parent instanceof List
        && last instanceof Integer i
        && i < ((List<?>) parent).size()) {
      ((List<?>) parent).remove((int) i);
    }
    return this;
  }

  /** A deep copy of the fields, as maps, lists and plain values. */
  public Map<String, @Nullable Object> toMap() {
    return copyMap(fields);
  }

  /** An independent copy of this object. */
  public KubeObject copy() {
    return from(fields);
  }

  /** Compact JSON, as sent to the API server. */
  public String toJson() {
    return Json.write(fields);
  }

  /** JSON indented for people. */
  public String toPrettyJson() {
    return Json.writePretty(fields);
  }

  /** YAML, as {@code kubectl get -o yaml} shows it. */
  public String toYaml() {
    return Yaml.write(fields);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof KubeObject kubeObject && fields.equals(kubeObject.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  /**
   * {@code KubeObject[apps/v1 Deployment default/nfs]}: never the contents, which may be secret.
   */
  @Override
  public String toString() {
    String namespace = namespace();
    return "KubeObject["
        + apiVersion()
        + " "
        + kind()
        + " "
        + (namespace == null ? "" : namespace + "/")
        + name()
        + "]";
  }

  private Map<String, String> stringMap(String path) {
    Object value = get(path);
    if (!(value instanceof Map)) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    ((Map<?, ?>) value).forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
    return result;
  }

  /** Splits a path into field names (String) and list indexes (Integer). */
  static List<Object> steps(String path) {
    List<Object> steps = new ArrayList<>();
    int i = 0;
    int n = path.length();
    while (i < n) {
      char c = path.charAt(i);
      if (c == '.') {
        i++;
      } else if (c == '[') {
        int close = path.indexOf(']', i);
        if (close < 0) {
          throw new IllegalArgumentException("path " + path + " has an unclosed '['");
        }
        String inside = path.substring(i + 1, close);
        if (inside.startsWith("\"")) {
          int end = path.indexOf("\"]", i + 2);
          if (end < 0) {
            throw new IllegalArgumentException("path " + path + " has an unclosed quoted key");
          }
          steps.add(path.substring(i + 2, end));
          i = end + 2;
        } else {
          try {
            steps.add(Integer.valueOf(inside));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                "path "
                    + path
                    + " has ["
                    + inside
                    + "]: use a list"
                    + " index such as [0], or a quoted key such as [\"app.kubernetes.io/name\"]");
          }
          i = close + 1;
        }
      } else {
        int end = i;
        while (end < n && path.charAt(end) != '.' && path.charAt(end) != '[') {
          end++;
        }
        steps.add(path.substring(i, end));
        i = end;
      }
    }
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("path is empty: give a field such as metadata.name");
    }
    return steps;
  }

  private static String pathOf(List<Object> steps) {
    StringBuilder path = new StringBuilder();
    for (Object step : steps) {
      path.append(step instanceof Integer ? "[" + step + "]" : "[\"" + step + "\"]");
    }
    return path.toString();
  }

  private static Map<String, @Nullable Object> copyMap(Map<?, ?> map) {
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
    return copy;
  }

  private static @Nullable Object deepCopy(@Nullable Object value) {
    if (value instanceof Map<?, ?> map) {
      return copyMap(map);
    }
    if (value instanceof List) {
      List<@Nullable Object> copy = new ArrayList<>();
      ((List<?>) value).forEach(v -> copy.add(deepCopy(v)));
      return copy;
    }
    if (value instanceof KubeObject kubeObject) {
      return copyMap(kubeObject.fields);
    }
    return value;
  }
}
