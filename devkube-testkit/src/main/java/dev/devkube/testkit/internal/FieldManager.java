package dev.devkube.testkit.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Field ownership as the API server keeps it in {@code metadata.managedFields}: each manager's set
 * of fields (a {@code FieldsV1} tree), server-side apply with conflicts and {@code force}, and the
 * fields an update takes over. Lists whose schema names map keys are tracked per element ({@code
 * k:{"name":"web"}}); other lists, and maps the schema calls atomic, are owned as a whole.
 */
public final class FieldManager {
  /** Fields nobody owns: identity, bookkeeping and status. */
  private static final Set<String> UNOWNED =
      Set.of(
          "f:apiVersion",
          "f:kind",
          "f:status",
          "f:metadata/f:name",
          "f:metadata/f:namespace",
          "f:metadata/f:uid",
          "f:metadata/f:resourceVersion",
          "f:metadata/f:generation",
          "f:metadata/f:creationTimestamp",
          "f:metadata/f:managedFields",
          "f:metadata/f:selfLink",
          "f:metadata/f:deletionTimestamp",
          "f:metadata/f:deletionGracePeriodSeconds");

  private final OpenApi openApi;

  public FieldManager(OpenApi openApi) {
    this.openApi = openApi;
  }

  /**
   * One path to an owned field, as FieldsV1 segments ({@code f:spec}, {@code k:{...}}, {@code .}).
   */
  private record Path(List<String> segments) {
    String text() {
      StringBuilder text = new StringBuilder();
      for (String s : segments) {
        if (s.equals(".")) {
          continue;
        }
        text.append(s.startsWith("f:") ? "." + s.substring(2) : "[" + s.substring(2) + "]");
      }
      return text.toString();
    }
  }

  /**
   * Server-side apply of {@code config} by {@code manager}: the merged object, with the manager
   * owning exactly the fields of its configuration.
   *
   * @throws Status 409 naming the other managers and fields when they own a field this apply sets
   *     to another value, unless {@code force}
   */
  public Map<String, @Nullable Object> apply(
      Kinds.Kind kind,
      @Nullable Map<String, @Nullable Object> live,
      Map<String, @Nullable Object> config,
      String manager,
      boolean force) {
    Set<Path> applied = fields(kind, config);
    Map<String, Set<Path>> owners = owners(live);
    String applyKey = key(manager, "Apply");
    Map<String, @Nullable Object> result = live == null ? Doc.obj() : Doc.copy(live);
    if (live != null) {
      Map<String, List<Path>> conflicts = new LinkedHashMap<>();
      for (Map.Entry<String, Set<Path>> owner : owners.entrySet()) {
        if (owner.getKey().equals(applyKey)) {
          continue;
        }
        for (Path path : applied) {
          // An element's own entry (".") says it exists; only its fields' values can differ.
          if (owner.getValue().contains(path)
              && !path.segments().get(path.segments().size() - 1).equals(".")
              && !Objects.equals(value(live, path), value(config, path))) {
            conflicts.computeIfAbsent(owner.getKey(), k -> new ArrayList<>()).add(path);
          }
        }
      }
      if (!conflicts.isEmpty() && !force) {
        throw conflict(kind, live, conflicts);
      }
      conflicts.forEach(
          (owner, paths) -> owners.getOrDefault(owner, new LinkedHashSet<>()).removeAll(paths));
      Set<Path> previous = owners.getOrDefault(applyKey, Set.of());
      for (Path path : previous) {
        if (!applied.contains(path) && !ownedByOthers(owners, applyKey, path)) {
          remove(result, path.segments());
          dropEmptiedMap(result, path.segments(), schemaOf(kind));
        }
      }
    }
    merge(result, config, schemaOf(kind));
    owners.put(applyKey, applied);
    Doc.map(result, "metadata").put("managedFields", managedFields(kind, owners, live));
    return result;
  }

  /**
   * An update (create, replace, patch) by {@code manager}: it takes over the fields it changed; the
   * object returned carries the new managedFields.
   */
  public Map<String, @Nullable Object> update(
      Kinds.Kind kind,
      @Nullable Map<String, @Nullable Object> live,
      Map<String, @Nullable Object> updated,
      String manager) {
    Map<String, Set<Path>> owners = owners(live);
    Set<Path> now = fields(kind, updated);
    Set<Path> changed = new LinkedHashSet<>();
    for (Path path : now) {
      if (live == null || !Objects.equals(value(live, path), value(updated, path))) {
        changed.add(path);
      }
    }
    // Fields that are gone are owned by no one.
    owners.values().forEach(paths -> paths.retainAll(now));
    String updateKey = key(manager, "Update");
    for (Map.Entry<String, Set<Path>> owner : owners.entrySet()) {
      if (!owner.getKey().equals(updateKey)) {
        owner.getValue().removeAll(changed);
      }
    }
    if (!changed.isEmpty()) {
      owners.computeIfAbsent(updateKey, k -> new LinkedHashSet<>()).addAll(changed);
    }
    Map<String, @Nullable Object> result = Doc.copy(updated);
    Doc.map(result, "metadata").put("managedFields", managedFields(kind, owners, live));
    return result;
  }

  private static String key(String manager, String operation) {
    return manager + "\u0000" + operation;
  }

  private static boolean ownedByOthers(Map<String, Set<Path>> owners, String self, Path path) {
    for (Map.Entry<String, Set<Path>> owner : owners.entrySet()) {
      if (!owner.getKey().equals(self) && owner.getValue().contains(path)) {
        return true;
      }
    }
    return false;
  }

  private static Status conflict(
      Kinds.Kind kind, Map<String, @Nullable Object> live, Map<String, List<Path>> conflicts) {
    int count = conflicts.values().stream().mapToInt(List::size).sum();
    StringBuilder message =
        new StringBuilder(
            "Apply failed with " + count + " conflict" + (count == 1 ? "" : "s") + ": ");
    List<Object> causes = new ArrayList<>();
    boolean first = true;
    for (Map.Entry<String, List<Path>> entry : conflicts.entrySet()) {
      String manager = entry.getKey().substring(0, entry.getKey().indexOf('\u0000'));
      String with = "\"" + manager + "\" using " + kind.groupVersion();
      if (!first) {
        message.append("\n");
      }
      first = false;
      if (entry.getValue().size() == 1) {
        message
            .append("conflict with ")
            .append(with)
            .append(": ")
            .append(entry.getValue().get(0).text());
      } else {
        message.append("conflicts with ").append(with).append(":");
        entry.getValue().forEach(p -> message.append("\n- ").append(p.text()));
      }
      for (Path path : entry.getValue()) {
        causes.add(
            Doc.obj(
                "reason",
                "FieldManagerConflict",
                "message",
                "conflict with " + with,
                "field",
                path.text()));
      }
    }
    return new Status(
        409,
        "Conflict",
        message.toString(),
        Doc.obj(
            "name",
            Doc.string(live, "metadata.name"),
            "group",
            kind.group(),
            "kind",
            kind.plural(),
            "causes",
            causes));
  }

  /** The owners recorded in an object, by manager and operation, with their field sets. */
  private static Map<String, Set<Path>> owners(@Nullable Map<String, @Nullable Object> live) {
    Map<String, Set<Path>> owners = new LinkedHashMap<>();
    if (live == null) {
      return owners;
    }
    for (Object entry : Doc.list(live, "metadata.managedFields")) {
      if (Doc.get(entry, "subresource") != null) {
        continue;
      }
      String manager = String.valueOf(Doc.get(entry, "manager"));
      String operation = String.valueOf(Doc.get(entry, "operation"));
      Set<Path> paths = new LinkedHashSet<>();
      tree(Doc.get(entry, "fieldsV1"), new ArrayList<>(), paths);
      owners.put(key(manager, operation), paths);
    }
    return owners;
  }

  private static void tree(@Nullable Object node, List<String> prefix, Set<Path> out) {
    if (!(node instanceof Map<?, ?> map) || map.isEmpty()) {
      if (!prefix.isEmpty()) {
        out.add(new Path(List.copyOf(prefix)));
      }
      return;
    }
    map.forEach(
        (k, v) -> {
          prefix.add(String.valueOf(k));
          tree(v, prefix, out);
          prefix.remove(prefix.size() - 1);
        });
  }

  private List<Object> managedFields(
      Kinds.Kind kind,
      Map<String, Set<Path>> owners,
      @Nullable Map<String, @Nullable Object> live) {
    Map<String, Object> previous = new LinkedHashMap<>();
    if (live != null) {
      for (Object entry : Doc.list(live, "metadata.managedFields")) {
        previous.put(
            key(
                    String.valueOf(Doc.get(entry, "manager")),
                    String.valueOf(Doc.get(entry, "operation")))
                + (Doc.get(entry, "subresource") == null
                    ? ""
                    : "/" + Doc.get(entry, "subresource")),
            entry);
      }
    }
    List<Object> entries = new ArrayList<>();
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    owners.forEach(
        (key, paths) -> {
          if (paths.isEmpty()) {
            return;
          }
          Map<String, @Nullable Object> tree = new TreeMap<>();
          for (Path path : paths) {
            Map<String, @Nullable Object> node = tree;
            for (String segment : path.segments()) {
              @SuppressWarnings("unchecked")
              Map<String, @Nullable Object> child =
                  (Map<String, @Nullable Object>)
                      node.computeIfAbsent(segment, s -> new TreeMap<>());
              node = child;
            }
          }
          Object before = previous.get(key);
          boolean same =
              before != null
                  && Objects.equals(Doc.write(Doc.get(before, "fieldsV1")), Doc.write(tree));
          int split = key.indexOf('\u0000');
          entries.add(
              Doc.obj(
                  "manager",
                  key.substring(0, split),
                  "operation",
                  key.substring(split + 1),
                  "apiVersion",
                  kind.groupVersion(),
                  "time",
                  same ? Doc.get(before, "time") : now,
                  "fieldsType",
                  "FieldsV1",
                  "fieldsV1",
                  tree));
        });
    // Entries for subresources are kept as they were.
    previous.forEach(
        (key, entry) -> {
          if (key.contains("/")) {
            entries.add(entry);
          }
        });
    return entries;
  }

  /** The owned leaf paths of an object. */
  private Set<Path> fields(Kinds.Kind kind, Map<String, @Nullable Object> object) {
    Set<Path> out = new LinkedHashSet<>();
    walk(object, schemaOf(kind), new ArrayList<>(), out);
    out.removeIf(p -> unowned(p));
    return out;
  }

  private static boolean unowned(Path path) {
    StringBuilder prefix = new StringBuilder();
    for (String segment : path.segments()) {
      prefix.append(prefix.length() == 0 ? "" : "/").append(segment);
      if (UNOWNED.contains(prefix.toString())) {
        return true;
      }
    }
    return false;
  }

  private Map<?, ?> schemaOf(Kinds.Kind kind) {
    String definition = openApi.definitionOf(kind);
    return definition == null ? Map.of() : Map.of("$ref", "#/definitions/" + definition);
  }

  private void walk(@Nullable Object value, Map<?, ?> schema, List<String> prefix, Set<Path> out) {
    if (!prefix.isEmpty() && UNOWNED.contains(String.join("/", prefix))) {
      return;
    }
    Map<?, ?> resolved = openApi.resolve(schema);
    if (value instanceof Map<?, ?> map
        && !map.isEmpty()
        && !"atomic".equals(resolved.get("x-kubernetes-map-type"))) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        prefix.add("f:" + e.getKey());
        walk(e.getValue(), OpenApi.child(resolved, String.valueOf(e.getKey())), prefix, out);
        prefix.remove(prefix.size() - 1);
      }
      return;
    }
    List<String> keys = mapKeys(resolved);
    if (value instanceof List<?> list
        && !keys.isEmpty()
        && resolved.get("items") instanceof Map<?, ?> items) {
      for (Object element : list) {
        if (!(element instanceof Map<?, ?> item)) {
          continue;
        }
        prefix.add(elementKey(item, keys));
        prefix.add(".");
        out.add(new Path(List.copyOf(prefix)));
        prefix.remove(prefix.size() - 1);
        walk(element, items, prefix, out);
        prefix.remove(prefix.size() - 1);
      }
      return;
    }
    if (!prefix.isEmpty()) {
      out.add(new Path(List.copyOf(prefix)));
    }
  }

  private static List<String> mapKeys(Map<?, ?> schema) {
    List<String> keys = new ArrayList<>();
    if (schema.get("x-kubernetes-list-map-keys") instanceof List<?> list) {
      list.forEach(k -> keys.add(String.valueOf(k)));
    } else if (schema.get("x-kubernetes-patch-merge-key") instanceof String key
        && !"atomic".equals(schema.get("x-kubernetes-list-type"))) {
      keys.add(key);
    }
    return keys;
  }

  private static String elementKey(Map<?, ?> element, List<String> keys) {
    Map<String, @Nullable Object> key = new TreeMap<>();
    for (String k : keys) {
      if (element.containsKey(k)) {
        key.put(k, element.get(k));
      }
    }
    return "k:" + Doc.write(key);
  }

  /** The value at a path, or null. */
  private static @Nullable Object value(@Nullable Object root, Path path) {
    Object node = root;
    for (String segment : path.segments()) {
      if (segment.equals(".")) {
        continue;
      }
      if (segment.startsWith("f:") && node instanceof Map<?, ?> map) {
        node = map.get(segment.substring(2));
      } else if (segment.startsWith("k:") && node instanceof List<?> list) {
        node = element(list, segment);
      } else {
        return null;
      }
    }
    return node;
  }

  private static @Nullable Object element(List<?> list, String segment) {
    Map<?, ?> key;
    try {
      key = (Map<?, ?>) Doc.parse(segment.substring(2));
    } catch (java.io.IOException | ClassCastException e) {
      return null;
    }
    if (key == null) {
      return null;
    }
    for (Object element : list) {
      if (element instanceof Map<?, ?> item && matches(item, key)) {
        return element;
      }
    }
    return null;
  }

  private static boolean matches(Map<?, ?> item, Map<?, ?> key) {
    for (Map.Entry<?, ?> k : key.entrySet()) {
      if (!Objects.equals(String.valueOf(item.get(k.getKey())), String.valueOf(k.getValue()))) {
        return false;
      }
    }
    return true;
  }

  /** Removes the field at a path (a keyed element when the path ends at its {@code .}). */
  private static void remove(Object root, List<String> segments) {
    Object node = root;
    for (int i = 0; i < segments.size(); i++) {
      String segment = segments.get(i);
      boolean last =
          i == segments.size() - 1 || (i == segments.size() - 2 && segments.get(i + 1).equals("."));
      if (segment.startsWith("f:") && node instanceof Map<?, ?> map) {
        if (last) {
          map.remove(segment.substring(2));
          return;
        }
        node = map.get(segment.substring(2));
      } else if (segment.startsWith("k:") && node instanceof List<?> list) {
        Object element = element(list, segment);
        if (last) {
          list.remove(element);
          return;
        }
        node = element;
      } else {
        return;
      }
    }
  }

  /**
   * After a removal, a map-typed field (labels, annotations, a ConfigMap's data) left empty goes
   * too, as the API server's JSON leaves empty maps out.
   */
  private void dropEmptiedMap(
      Map<String, @Nullable Object> root, List<String> segments, Map<?, ?> schema) {
    if (segments.size() < 2 || !segments.get(segments.size() - 2).startsWith("f:")) {
      return;
    }
    Object parent = root;
    Map<?, ?> parentSchema = openApi.resolve(schema);
    for (int i = 0; i < segments.size() - 2; i++) {
      String segment = segments.get(i);
      if (!segment.startsWith("f:") || !(parent instanceof Map<?, ?> map)) {
        return;
      }
      parentSchema = openApi.resolve(OpenApi.child(parentSchema, segment.substring(2)));
      parent = map.get(segment.substring(2));
    }
    String key = segments.get(segments.size() - 2).substring(2);
    Map<?, ?> fieldSchema = openApi.resolve(OpenApi.child(parentSchema, key));
    if (parent instanceof Map<?, ?> map
        && map.get(key) instanceof Map<?, ?> emptied
        && emptied.isEmpty()
        && fieldSchema.get("additionalProperties") != null) {
      map.remove(key);
    }
  }

  /** Merges an applied configuration into the object: maps by key, keyed lists by element. */
  @SuppressWarnings("unchecked")
  private void merge(Map<String, @Nullable Object> target, Map<?, ?> config, Map<?, ?> schema) {
    Map<?, ?> resolved = openApi.resolve(schema);
    for (Map.Entry<?, ?> e : config.entrySet()) {
      String key = String.valueOf(e.getKey());
      Object value = e.getValue();
      Map<?, ?> child = openApi.resolve(OpenApi.child(resolved, key));
      Object existing = target.get(key);
      if (value instanceof Map<?, ?> map
          && existing instanceof Map<?, ?> current
          && !"atomic".equals(child.get("x-kubernetes-map-type"))) {
        merge((Map<String, @Nullable Object>) current, map, child);
      } else if (value instanceof List<?> list
          && existing instanceof List<?> current
          && !mapKeys(child).isEmpty()
          && child.get("items") instanceof Map<?, ?> items) {
        List<@Nullable Object> merged = new ArrayList<>((List<@Nullable Object>) current);
        List<String> keys = mapKeys(child);
        for (Object element : list) {
          if (!(element instanceof Map<?, ?> item)) {
            continue;
          }
          Object match = element(merged, elementKey(item, keys));
          if (match instanceof Map<?, ?> found) {
            merge((Map<String, @Nullable Object>) found, item, items);
          } else {
            merged.add(Doc.copy(element));
          }
        }
        target.put(key, merged);
      } else {
        target.put(key, Doc.copyOrNull(value));
      }
    }
  }
}
