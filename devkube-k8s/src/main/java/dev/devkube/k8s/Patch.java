package dev.devkube.k8s;

import dev.devkube.k8s.internal.Json;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A change to send with {@link KubeResource#patch(Patch)}: a JSON merge patch (RFC 7386), a JSON
 * patch (RFC 6902), or a strategic merge patch (built-in kinds only: lists of containers, ports and
 * the like merge by name instead of being replaced).
 *
 * <pre>{@code
 * kube.resource(deployment).patch(Patch.merge(Map.of("spec", Map.of("replicas", 2))));
 * kube.resource(deployment).patch(Patch.json(List.of(
 *     Map.of("op", "replace", "path", "/spec/replicas", "value", 3))));
 * }</pre>
 */
public final class Patch {
  /** The kinds of patch, each with its content type. */
  public enum Type {
    /** A JSON merge patch (RFC 7386). */
    MERGE("application/merge-patch+json"),
    /** A JSON patch (RFC 6902). */
    JSON("application/json-patch+json"),
    /** A Kubernetes strategic merge patch (built-in kinds only). */
    STRATEGIC("application/strategic-merge-patch+json");

    private final String contentType;

    Type(String contentType) {
      this.contentType = contentType;
    }

    /** The Content-Type the server reads this type from. */
    public String contentType() {
      return contentType;
    }
  }

  private final Type type;
  private final String body;

  private Patch(Type type, String body) {
    this.type = type;
    this.body = body;
  }

  /** A JSON merge patch: fields given replace, nested maps merge, null removes. */
  public static Patch merge(Map<String, ?> fields) {
    return new Patch(Type.MERGE, Json.write(Objects.requireNonNull(fields, "fields")));
  }

  /** A JSON merge patch from JSON text, which must be an object. */
  public static Patch mergeJson(String json) {
    if (!(Json.parse(json) instanceof Map)) {
      throw new IllegalArgumentException(
          "a merge patch is a JSON object, such as {\"spec\": {\"replicas\": 2}}");
    }
    return new Patch(Type.MERGE, json);
  }

  /**
   * A JSON patch: a list of operations such as {@code {op: replace, path: /spec/replicas, value:
   * 3}}.
   */
  public static Patch json(List<? extends Map<String, ?>> operations) {
    for (Map<String, ?> operation : operations) {
      if (!(operation.get("op") instanceof String) || !(operation.get("path") instanceof String)) {
        throw new IllegalArgumentException(
            "JSON patch operation "
                + operation
                + " needs \"op\" and"
                + " \"path\", such as {op: replace, path: /spec/replicas, value: 3}");
      }
    }
    return new Patch(Type.JSON, Json.write(operations));
  }

  /** A strategic merge patch, for built-in kinds. */
  public static Patch strategic(Map<String, ?> fields) {
    return new Patch(Type.STRATEGIC, Json.write(Objects.requireNonNull(fields, "fields")));
  }

  /** Which kind of patch this is. */
  public Type type() {
    return type;
  }

  /** The patch as JSON text. */
  public String body() {
    return body;
  }

  @Override
  public String toString() {
    return "Patch[" + type + " " + body + "]";
  }
}
