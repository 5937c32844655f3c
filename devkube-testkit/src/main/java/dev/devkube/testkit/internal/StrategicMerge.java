package dev.devkube.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A strategic merge patch as the API server applies it, driven by the kind's schema: lists whose
 * schema says {@code x-kubernetes-patch-strategy: merge} merge on their {@code
 * x-kubernetes-patch-merge-key} (containers on {@code name}, ports on {@code containerPort}) or,
 * for scalars, as a union; other lists are replaced; the directives {@code $patch}
 * (replace/delete/merge), {@code $setElementOrder/<field>}, {@code $retainKeys} and {@code
 * $deleteFromPrimitiveList/<field>} are obeyed and never stored.
 */
final class StrategicMerge {
  private final OpenApi openApi;

  StrategicMerge(OpenApi openApi) {
    this.openApi = openApi;
  }

  /** The patched copy of {@code target}. */
  @Nullable Object apply(Kinds.Kind kind, @Nullable Object target, @Nullable Object patch) {
    String definition = openApi.definitionOf(kind);
    return merge(
        target,
        patch,
        definition == null ? Map.of() : Map.of("$ref", "#/definitions/" + definition));
  }

  /** A patch to a Scale or other object with no kind of its own: schema-less. */
  @Nullable Object applyWithoutSchema(@Nullable Object target, @Nullable Object patch) {
    return merge(target, patch, Map.of());
  }

  @SuppressWarnings("unchecked")
  private @Nullable Object merge(
      @Nullable Object target, @Nullable Object patch, Map<?, ?> schema) {
    if (!(patch instanceof Map<?, ?> changes)) {
      return Doc.copyOrNull(patch);
    }
    Map<?, ?> resolved = openApi.resolve(schema);
    Object directive = changes.get("$patch");
    if ("replace".equals(directive)) {
      Map<String, @Nullable Object> replaced = new LinkedHashMap<>();
      changes.forEach(
          (k, v) -> {
            if (!"$patch".equals(k)) {
              replaced.put(String.valueOf(k), Doc.copyOrNull(v));
            }
          });
      return replaced;
    }
    if (directive != null && !"merge".equals(directive) && !"delete".equals(directive)) {
      throw Status.badRequest("unknown patch type: " + directive);
    }
    Map<String, @Nullable Object> result =
        target instanceof Map<?, ?> map
            ? Doc.copy((Map<String, @Nullable Object>) map)
            : new LinkedHashMap<>();
    Map<String, List<?>> orders = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : changes.entrySet()) {
      String key = String.valueOf(entry.getKey());
      Object value = entry.getValue();
      if (key.equals("$patch")) {
        continue;
      }
      if (key.equals("$retainKeys")) {
        if (value instanceof List<?> keep) {
          result.keySet().removeIf(k -> !keep.contains(k) && !changes.containsKey(k));
        }
        continue;
      }
      if (key.startsWith("$setElementOrder/")) {
        if (value instanceof List<?> order) {
          orders.put(key.substring("$setElementOrder/".length()), order);
        }
        continue;
      }
      if (key.startsWith("$deleteFromPrimitiveList/")) {
        String field = key.substring("$deleteFromPrimitiveList/".length());
        if (result.get(field) instanceof List<?> list && value instanceof List<?> remove) {
          List<Object> kept = new ArrayList<>(list);
          kept.removeAll(remove);
          result.put(field, kept);
        }
        continue;
      }
      if (key.startsWith("$")) {
        throw Status.badRequest("unknown strategic merge patch directive " + key);
      }
      if (value == null) {
        result.remove(key);
        continue;
      }
      Map<?, ?> child = OpenApi.child(resolved, key);
      Map<?, ?> childResolved = openApi.resolve(child);
      String strategy = String.valueOf(childResolved.get("x-kubernetes-patch-strategy"));
      Object mergeKey = childResolved.get("x-kubernetes-patch-merge-key");
      Object existing = result.get(key);
      if (value instanceof List<?> list && strategy.contains("merge")) {
        Map<?, ?> items = childResolved.get("items") instanceof Map<?, ?> i ? i : Map.of();
        result.put(
            key,
            mergeList(
                existing instanceof List<?> current ? current : List.of(),
                list,
                mergeKey instanceof String name ? name : null,
                items));
      } else if (value instanceof Map<?, ?> map && "delete".equals(map.get("$patch"))) {
        result.remove(key);
      } else if (value instanceof Map<?, ?>) {
        result.put(key, merge(existing, value, child));
      } else {
        result.put(key, Doc.copyOrNull(value));
      }
    }
    orders.forEach(
        (field, order) -> {
          if (result.get(field) instanceof List<?> list) {
            Map<?, ?> child = openApi.resolve(OpenApi.child(resolved, field));
            Object mergeKey = child.get("x-kubernetes-patch-merge-key");
            result.put(field, reorder(list, order, mergeKey instanceof String k ? k : null));
          }
        });
    return result;
  }

  private List<@Nullable Object> mergeList(
      List<?> current, List<?> patch, @Nullable String mergeKey, Map<?, ?> items) {
    List<@Nullable Object> result = new ArrayList<>();
    current.forEach(item -> result.add(Doc.copyOrNull(item)));
    if (mergeKey == null) {
      for (Object value : patch) {
        if (!result.contains(value)) {
          result.add(Doc.copyOrNull(value));
        }
      }
      return result;
    }
    for (Object element : patch) {
      if (!(element instanceof Map<?, ?> item)) {
        continue;
      }
      Object key = item.get(mergeKey);
      int index = -1;
      for (int i = 0; i < result.size(); i++) {
        if (result.get(i) instanceof Map<?, ?> existing
            && Objects.equals(String.valueOf(existing.get(mergeKey)), String.valueOf(key))) {
          index = i;
          break;
        }
      }
      if ("delete".equals(item.get("$patch"))) {
        if (index >= 0) {
          result.remove(index);
        }
      } else if (index >= 0) {
        result.set(index, merge(result.get(index), item, items));
      } else {
        result.add(merge(null, item, items));
      }
    }
    return result;
  }

  private static List<@Nullable Object> reorder(
      List<?> list, List<?> order, @Nullable String mergeKey) {
    List<@Nullable Object> result = new ArrayList<>();
    List<Object> rest = new ArrayList<>(list);
    for (Object wanted : order) {
      Object key = mergeKey != null && wanted instanceof Map<?, ?> m ? m.get(mergeKey) : wanted;
      for (Object item : List.copyOf(rest)) {
        Object itemKey = mergeKey != null && item instanceof Map<?, ?> m ? m.get(mergeKey) : item;
        if (Objects.equals(String.valueOf(itemKey), String.valueOf(key))) {
          result.add(item);
          rest.remove(item);
          break;
        }
      }
    }
    result.addAll(rest);
    return result;
  }
}
