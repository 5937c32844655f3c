package dev.devkube.testkit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * JSON merge patch (RFC 7386) and JSON patch (RFC 6902); strategic merge is {@link StrategicMerge}.
 */
public final class Patches {
  private Patches() {}

  /** Merge patch: maps merge, null removes, anything else replaces. */
  public static @Nullable Object merge(@Nullable Object target, @Nullable Object patch) {
    return patch instanceof Map
        ? mergeMaps(target, (Map<?, ?>) patch, Patches::merge)
        : Doc.copyOrNull(patch);
  }

  /**
   * Merges {@code patch} into a copy of {@code target}: null removes a key, {@code deeper} merges
   * values.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> mergeMaps(
      @Nullable Object target,
      Map<?, ?> patch,
      java.util.function.BinaryOperator<@Nullable Object> deeper) {
    Map<String, @Nullable Object> result =
        target instanceof Map
            ? Doc.copy((Map<String, @Nullable Object>) target)
            : new LinkedHashMap<>();
    patch.forEach(
        (key, value) -> {
          String name = String.valueOf(key);
          if (value == null) {
            result.remove(name);
          } else {
            result.put(name, deeper.apply(result.get(name), value));
          }
        });
    return result;
  }

  /** JSON patch: add, remove, replace, test, copy and move, on JSON pointers. */
  public static Object json(Object target, List<?> operations) {
    Object document = Doc.copy(target);
    for (Object op : operations) {
      Map<?, ?> operation = (Map<?, ?>) op;
      String kind = String.valueOf(operation.get("op"));
      String path = String.valueOf(operation.get("path"));
      switch (kind) {
        case "add" -> document = put(document, path, Doc.copyOrNull(operation.get("value")), true);
        case "replace" -> {
          get(document, path);
          document = put(document, path, Doc.copyOrNull(operation.get("value")), false);
        }
        case "remove" -> document = remove(document, path);
        case "test" -> {
          Object actual = get(document, path);
          Object expected = operation.get("value");
          if (actual == null ? expected != null : !actual.equals(expected)) {
            throw Status.invalidPatch("the test operation failed at " + path);
          }
        }
        case "copy" ->
            document =
                put(
                    document,
                    path,
                    Doc.copyOrNull(get(document, String.valueOf(operation.get("from")))),
                    true);
        case "move" -> {
          String from = String.valueOf(operation.get("from"));
          Object value = get(document, from);
          document = put(remove(document, from), path, value, true);
        }
        default -> throw Status.invalidPatch("unknown JSON patch operation \"" + kind + "\"");
      }
    }
    return document;
  }

  private static List<String> pointer(String path) {
    List<String> parts = new ArrayList<>();
    if (path.isEmpty()) {
      return parts;
    }
    if (!path.startsWith("/")) {
      throw Status.invalidPatch("JSON pointer \"" + path + "\" does not start with /");
    }
    for (String part : path.substring(1).split("/", -1)) {
      parts.add(part.replace("~1", "/").replace("~0", "~"));
    }
    return parts;
  }

  private static @Nullable Object get(@Nullable Object document, String path) {
    Object current = document;
    for (String part : pointer(path)) {
      if (current instanceof Map && ((Map<?, ?>) current).containsKey(part)) {
        current = ((Map<?, ?>) current).get(part);
      } else if (current instanceof List
          && part.matches("\\d+")
          && Integer.parseInt(part) < ((List<?>) current).size()) {
        current = ((List<?>) current).get(Integer.parseInt(part));
      } else {
        throw Status.invalidPatch("the path " + path + " does not exist");
      }
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Object put(Object document, String path, @Nullable Object value, boolean insert) {
    List<String> parts = pointer(path);
    if (parts.isEmpty()) {
      if (value == null) {
        throw Status.invalidPatch(
            "the path \"\" cannot be set to null: the patched object must stay an object");
      }
      return value;
    }
    Object parent = get(document, path.substring(0, path.lastIndexOf('/')));
    String last = parts.get(parts.size() - 1);
    if (parent instanceof Map) {
      ((Map<String, @Nullable Object>) parent).put(last, value);
    } else if (parent instanceof List) {
      List<@Nullable Object> list = (List<@Nullable Object>) parent;
      int index = last.equals("-") ? list.size() : Integer.parseInt(last);
      if (insert) {
        list.add(index, value);
      } else {
        list.set(index, value);
      }
    } else {
      throw Status.invalidPatch("the parent of " + path + " is not an object or array");
    }
    return document;
  }

  private static Object remove(Object document, String path) {
    get(document, path);
    List<String> parts = pointer(path);
    Object parent = get(document, path.substring(0, path.lastIndexOf('/')));
    String last = parts.get(parts.size() - 1);
    if (parent instanceof Map) {
      ((Map<?, ?>) parent).remove(last);
    } else if (parent instanceof List) {
      ((List<?>) parent).remove(Integer.parseInt(last));
    }
    return document;
  }
}
