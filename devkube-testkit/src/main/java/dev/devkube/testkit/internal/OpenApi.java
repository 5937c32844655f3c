package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The schemas of the built-in kinds ({@code openapi-definitions.json}, the v1.36 OpenAPI
 * definitions without descriptions): served as {@code /openapi/v2} and {@code /openapi/v3} (with
 * the operations kubectl looks for), and used to find the fields of a request that its kind does
 * not have, which the API server drops, reports or refuses.
 */
public final class OpenApi {
  private static final String REF = "#/definitions/";

  private final Kinds kinds;
  private final Map<String, Map<String, @Nullable Object>> definitions;
  private final Map<String, String> byGroupVersionKind = new HashMap<>();
  private byte @Nullable [] v2Protobuf;

  @SuppressWarnings("unchecked")
  public OpenApi(Kinds kinds) {
    this.kinds = kinds;
    try (InputStream in = OpenApi.class.getResourceAsStream("openapi-definitions.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi-definitions.json is missing from devkube-testkit");
      }
      this.definitions =
          (Map<String, Map<String, @Nullable Object>>)
              Objects.requireNonNull(
                  Doc.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    definitions.forEach(
        (name, definition) -> {
          for (Object gvk : Doc.list(definition, "x-kubernetes-group-version-kind")) {
            byGroupVersionKind.putIfAbsent(
                Doc.get(gvk, "group") + "/" + Doc.get(gvk, "version") + "/" + Doc.get(gvk, "kind"),
                name);
          }
        });
  }

  /** The definition of a kind, or null when the OpenAPI document has none. */
  public @Nullable String definitionOf(Kinds.Kind kind) {
    return byGroupVersionKind.get(kind.group() + "/" + kind.version() + "/" + kind.kind());
  }

  /**
   * Removes the fields of {@code object} that its kind's schema does not declare, and returns their
   * paths as the API server names them ({@code spec.replica}, {@code
   * spec.template.spec.containers[0].imagee}).
   */
  public List<String> prune(Kinds.Kind kind, Map<String, @Nullable Object> object) {
    List<String> unknown = new ArrayList<>();
    String definition = definitionOf(kind);
    if (definition != null) {
      prune(object, Map.of("$ref", REF + definition), "", unknown);
    }
    return unknown;
  }

  private void prune(@Nullable Object value, Map<?, ?> schema, String path, List<String> unknown) {
    Map<?, ?> resolved = resolve(schema);
    if (Boolean.TRUE.equals(resolved.get("x-kubernetes-preserve-unknown-fields"))) {
      return;
    }
    if (value instanceof Map<?, ?> map && resolved.get("properties") instanceof Map<?, ?> props) {
      @SuppressWarnings("unchecked")
      Map<String, @Nullable Object> fields = (Map<String, @Nullable Object>) map;
      for (String key : List.copyOf(fields.keySet())) {
        String child = path.isEmpty() ? key : path + "." + key;
        if (props.get(key) instanceof Map<?, ?> property) {
          prune(fields.get(key), property, child, unknown);
        } else {
          unknown.add(child);
          fields.remove(key);
        }
      }
    } else if (value instanceof Map<?, ?> map
        && resolved.get("additionalProperties") instanceof Map<?, ?> values) {
      map.forEach((k, v) -> prune(v, values, path + "." + k, unknown));
    } else if (value instanceof List<?> list && resolved.get("items") instanceof Map<?, ?> items) {
      for (int i = 0; i < list.size(); i++) {
        prune(list.get(i), items, path + "[" + i + "]", unknown);
      }
    }
  }

  Map<?, ?> resolve(Map<?, ?> schema) {
    Object ref = schema.get("$ref");
    if (ref instanceof String text && text.startsWith(REF)) {
      Map<String, @Nullable Object> definition = definitions.get(text.substring(REF.length()));
      return definition == null ? Map.of() : definition;
    }
    return schema;
  }

  /** The schema of a property (or of a map's values) of a resolved object schema; empty if none. */
  static Map<?, ?> child(Map<?, ?> resolved, String key) {
    if (resolved.get("properties") instanceof Map<?, ?> props
        && props.get(key) instanceof Map<?, ?> property) {
      return property;
    }
    if (resolved.get("additionalProperties") instanceof Map<?, ?> values) {
      return values;
    }
    return Map.of();
  }

  /** Serves {@code /openapi/v2}, {@code /openapi/v3} and {@code /openapi/v3/<group-version>}. */
  public void serve(HttpExchange exchange, List<String> path) throws IOException {
    if (path.equals(List.of("v2"))) {
      String accept = String.valueOf(exchange.getRequestHeaders().getFirst("Accept"));
      Map<String, @Nullable Object> paths = new TreeMap<>();
      for (Kinds.Kind kind : kinds.all()) {
        paths.putAll(paths(kind, REF));
      }
      if (accept.contains("com.github.proto-openapi.spec.v2")) {
        byte[] document;
        synchronized (this) {
          if (v2Protobuf == null) {
            v2Protobuf = OpenApiV2Protobuf.document(paths, definitions);
          }
          document = v2Protobuf;
        }
        Http.sendBytes(
            exchange, 200, "application/com.github.proto-openapi.spec.v2.v1.0+protobuf", document);
        return;
      }
      Http.json(
          exchange,
          200,
          Doc.obj(
              "swagger",
              "2.0",
              "info",
              Doc.obj("title", "Kubernetes", "version", "v1.36.0"),
              "paths",
              paths,
              "definitions",
              definitions));
      return;
    }
    if (path.equals(List.of("v3"))) {
      Map<String, @Nullable Object> index = new TreeMap<>();
      for (String groupVersion : groupVersions()) {
        String relative = (groupVersion.contains("/") ? "apis/" : "api/") + groupVersion;
        index.put(
            relative,
            Doc.obj(
                "serverRelativeURL",
                "/openapi/v3/" + relative + "?hash=" + Integer.toHexString(relative.hashCode())));
      }
      Http.json(exchange, 200, Doc.obj("paths", index));
      return;
    }
    if (path.size() >= 3 && path.get(0).equals("v3")) {
      String groupVersion = String.join("/", path.subList(2, path.size()));
      List<Kinds.Kind> served = kinds.inGroupVersion(groupVersion);
      if (served.isEmpty()) {
        throw KubeApi.notFound();
      }
      Http.json(exchange, 200, v3(served));
      return;
    }
    throw KubeApi.notFound();
  }

  private List<String> groupVersions() {
    List<String> result = new ArrayList<>();
    for (Kinds.Kind kind : kinds.all()) {
      if (!result.contains(kind.groupVersion())) {
        result.add(kind.groupVersion());
      }
    }
    return result;
  }

  /** The OpenAPI v3 document of one group-version: its operations and the schemas they use. */
  private Map<String, @Nullable Object> v3(List<Kinds.Kind> served) {
    String components = "#/components/schemas/";
    Map<String, @Nullable Object> paths = new TreeMap<>();
    Map<String, @Nullable Object> schemas = new TreeMap<>();
    Deque<String> pending = new ArrayDeque<>();
    for (Kinds.Kind kind : served) {
      paths.putAll(paths(kind, components));
      String definition = definitionOf(kind);
      if (definition != null) {
        pending.add(definition);
      }
    }
    pending.add("io.k8s.apimachinery.pkg.apis.meta.v1.Status");
    while (!pending.isEmpty()) {
      String name = pending.removeFirst();
      if (schemas.containsKey(name) || !definitions.containsKey(name)) {
        continue;
      }
      Object converted = rewriteRefs(definitions.get(name), components, pending);
      schemas.put(name, converted);
    }
    return Doc.obj(
        "openapi",
        "3.0.0",
        "info",
        Doc.obj("title", "Kubernetes", "version", "v1.36.0"),
        "paths",
        paths,
        "components",
        Doc.obj("schemas", schemas));
  }

  private static @Nullable Object rewriteRefs(
      @Nullable Object value, String prefix, Deque<String> found) {
    if (value instanceof Map<?, ?> map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            if ("$ref".equals(k) && v instanceof String ref && ref.startsWith(REF)) {
              String name = ref.substring(REF.length());
              found.add(name);
              copy.put("$ref", prefix + name);
            } else {
              copy.put(String.valueOf(k), rewriteRefs(v, prefix, found));
            }
          });
      return copy;
    }
    if (value instanceof List<?> list) {
      List<@Nullable Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(rewriteRefs(v, prefix, found)));
      return copy;
    }
    return value;
  }

  /**
   * The item path of a kind with its operations, each naming its kind and action and the query
   * parameters that kubectl checks for (server-side field validation, dry run, apply).
   */
  private Map<String, @Nullable Object> paths(Kinds.Kind kind, String refPrefix) {
    String base =
        kind.group().isEmpty() ? "/api/" + kind.version() : "/apis/" + kind.groupVersion();
    String collection =
        base + (kind.namespaced() ? "/namespaces/{namespace}/" : "/") + kind.plural();
    Map<String, @Nullable Object> gvk =
        Doc.obj("group", kind.group(), "version", kind.version(), "kind", kind.kind());
    String definition = definitionOf(kind);
    Map<String, @Nullable Object> schema =
        definition == null ? Doc.obj("type", "object") : Doc.obj("$ref", refPrefix + definition);
    boolean v3 = !refPrefix.equals(REF);
    Map<String, @Nullable Object> item = Doc.obj();
    Map<String, @Nullable Object> list = Doc.obj();
    for (String verb : kind.verbs()) {
      String action =
          switch (verb) {
            case "get" -> "get";
            case "update" -> "put";
            case "patch" -> "patch";
            case "delete" -> "delete";
            case "create" -> "post";
            case "list" -> "list";
            default -> "";
          };
      if (action.isEmpty()) {
        continue;
      }
      List<Object> parameters = new ArrayList<>();
      if (List.of("put", "patch", "post").contains(action)) {
        for (String query : List.of("dryRun", "fieldManager", "fieldValidation")) {
          parameters.add(parameter(query, "string", v3));
        }
      }
      if (action.equals("patch")) {
        parameters.add(parameter("force", "boolean", v3));
      }
      Map<String, @Nullable Object> operation =
          Doc.obj(
              "operationId",
              action + kind.kind(),
              "parameters",
              parameters,
              "responses",
              Doc.obj(
                  "200",
                  v3
                      ? Doc.obj(
                          "description",
                          "OK",
                          "content",
                          Doc.obj("application/json", Doc.obj("schema", schema)))
                      : Doc.obj("description", "OK", "schema", schema)),
              "x-kubernetes-action",
              action,
              "x-kubernetes-group-version-kind",
              gvk);
      if (action.equals("post") || action.equals("list")) {
        list.put(action.equals("list") ? "get" : "post", operation);
      } else {
        item.put(action, operation);
      }
    }
    Map<String, @Nullable Object> paths = new LinkedHashMap<>();
    if (!list.isEmpty()) {
      paths.put(collection, list);
    }
    if (!item.isEmpty()) {
      paths.put(collection + "/{name}", item);
    }
    return paths;
  }

  private static Map<String, @Nullable Object> parameter(String name, String type, boolean v3) {
    return v3
        ? Doc.obj("name", name, "in", "query", "schema", Doc.obj("type", type))
        : Doc.obj("name", name, "in", "query", "type", type);
  }
}
