package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One API request on a kind in one namespace (or none): its query (dry run, field validation, field
 * manager), the answer with its warnings, and the checks and writes that item, collection and
 * subresource requests share.
 */
abstract class Request {
  final KubeApi api;
  final HttpExchange exchange;
  final Rbac.User user;
  final Kinds.Kind kind;
  final @Nullable String namespace;
  final Map<String, String> query;
  final boolean dryRun;
  final String validation;
  final List<String> warnings = new ArrayList<>();

  Request(
      KubeApi api,
      HttpExchange exchange,
      Rbac.User user,
      Kinds.Kind kind,
      @Nullable String namespace) {
    this.api = api;
    this.exchange = exchange;
    this.user = user;
    this.kind = kind;
    this.namespace = namespace;
    this.query = Http.query(exchange);
    String dry = query.getOrDefault("dryRun", "");
    if (!dry.isEmpty() && !dry.equals("All")) {
      throw Status.badRequest(
          "Invalid dry run option: dryRun: Unsupported value: \""
              + dry
              + "\": supported values: \"All\"");
    }
    this.dryRun = dry.equals("All");
    this.validation = query.getOrDefault("fieldValidation", "");
    if (!List.of("", "Ignore", "Warn", "Strict").contains(validation)) {
      throw Status.badRequest(
          "fieldValidation: Unsupported value: \""
              + validation
              + "\": supported values: \"Ignore\", \"Warn\", \"Strict\"");
    }
  }

  /** The field manager: the query parameter, or the user agent's product name. */
  String manager() {
    String manager = query.get("fieldManager");
    if (manager != null && !manager.isEmpty()) {
      if (manager.length() > 128) {
        throw Status.badRequest("fieldManager: Too long: may not be more than 128 bytes");
      }
      return manager;
    }
    String agent =
        Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst("User-Agent"), "unknown");
    String product = agent.split("/", 2)[0].trim();
    return product.isEmpty() ? "unknown" : product.substring(0, Math.min(128, product.length()));
  }

  boolean table() {
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    return accept != null
        && accept.contains("as=Table")
        && accept.split(",", -1)[0].contains("as=Table");
  }

  void send(int code, Object body) throws IOException {
    for (String warning : warnings) {
      exchange
          .getResponseHeaders()
          .add("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
    }
    Http.json(exchange, code, body);
  }

  /** Checks the body's apiVersion and kind against the path, then sets them. */
  void typeMeta(Map<String, @Nullable Object> object) {
    Object apiVersion = object.get("apiVersion");
    Object type = object.get("kind");
    if (apiVersion != null && !kind.groupVersion().equals(apiVersion)) {
      throw Status.badRequest(
          "the API version in the data ("
              + apiVersion
              + ") does not match the expected API version ("
              + kind.groupVersion()
              + ")");
    }
    if (type != null && !kind.kind().equals(type)) {
      throw Status.badRequest(
          type
              + " in version \""
              + kind.version()
              + "\" cannot be handled as a "
              + kind.kind()
              + ": the kind in the data does not match the path");
    }
    object.put("apiVersion", kind.groupVersion());
    object.put("kind", kind.kind());
  }

  /**
   * Drops the fields the kind's schema does not declare: refused under {@code
   * fieldValidation=Strict}, reported in a Warning header otherwise (unless {@code Ignore}).
   */
  void unknownFields(Map<String, @Nullable Object> object, boolean apply) {
    List<String> unknown = api.openApi.prune(kind, object);
    if (unknown.isEmpty() || validation.equals("Ignore")) {
      return;
    }
    if (validation.equals("Strict")) {
      if (apply) {
        StringBuilder message =
            new StringBuilder(
                "failed to create typed patch object ("
                    + (namespace == null ? "" : namespace + "/")
                    + Doc.string(object, "metadata.name")
                    + "; "
                    + kind.groupVersion()
                    + ", Kind="
                    + kind.kind()
                    + "): ");
        for (int i = 0; i < unknown.size(); i++) {
          message
              .append(i == 0 ? "" : "\n")
              .append('.')
              .append(unknown.get(i))
              .append(": field not declared in schema");
        }
        throw Status.badRequest(message.toString());
      }
      StringBuilder message =
          new StringBuilder(
              kind.kind()
                  + " in version \""
                  + kind.version()
                  + "\" cannot be handled as a "
                  + kind.kind()
                  + ": strict decoding error: ");
      for (int i = 0; i < unknown.size(); i++) {
        message
            .append(i == 0 ? "" : ", ")
            .append("unknown field \"")
            .append(unknown.get(i))
            .append('"');
      }
      throw Status.badRequest(message.toString());
    }
    unknown.forEach(field -> warnings.add("unknown field \"" + field + "\""));
  }

  /** What the registry resets on create: the status of api.kinds that have a status subresource. */
  void resetStatus(Map<String, @Nullable Object> object) {
    if (kind.subresource("status") == null) {
      return;
    }
    Map<String, @Nullable Object> status = Doc.obj();
    if (kind.kind().equals("Pod")) {
      status.put("phase", "Pending");
      status.put("qosClass", "BestEffort");
    } else if (kind.kind().equals("PersistentVolumeClaim")
        || kind.kind().equals("PersistentVolume")) {
      status.put("phase", "Pending");
    } else if (kind.kind().equals("Namespace")) {
      status.put("phase", "Active");
    }
    object.put("status", status);
  }

  void checkNamespace(Map<String, @Nullable Object> object, boolean creating) {
    if (!kind.namespaced()) {
      Doc.map(object, "metadata").remove("namespace");
      return;
    }
    String given = Doc.string(object, "metadata.namespace");
    if (given != null && !given.isEmpty() && !given.equals(namespace)) {
      throw Status.badRequest(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    if (namespace == null) {
      throw Status.methodNotAllowed(
          "a namespaced " + kind.kind() + " needs a namespace in the path");
    }
    Doc.map(object, "metadata").put("namespace", namespace);
    Kinds.Kind namespaces = Objects.requireNonNull(api.kinds.byKind("v1", "Namespace"));
    Map<String, @Nullable Object> owner = api.store.get(namespaces, null, namespace);
    if (owner == null) {
      throw new Status(
          404,
          "NotFound",
          "namespaces \"" + namespace + "\" not found",
          Doc.obj("name", namespace, "kind", "namespaces"));
    }
    if (creating && Doc.get(owner, "metadata.deletionTimestamp") != null) {
      String name = String.valueOf(Doc.string(object, "metadata.name"));
      throw new Status(
          403,
          "Forbidden",
          kind.resource()
              + " \""
              + name
              + "\" is forbidden: unable to create new content in namespace "
              + namespace
              + " because it is being terminated",
          Doc.obj(
              "name",
              name,
              "kind",
              kind.plural(),
              "causes",
              List.of(
                  Status.cause(
                      "NamespaceTerminating",
                      "metadata.namespace",
                      "namespace " + namespace + " is being terminated"))));
    }
  }

  Map<String, @Nullable Object> update(
      Map<String, @Nullable Object> object,
      Map<String, @Nullable Object> existing,
      String name,
      @Nullable String applied) {
    if (!name.equals(Doc.string(object, "metadata.name"))) {
      throw Status.badRequest(
          "the name of the object ("
              + Doc.string(object, "metadata.name")
              + ") does not match the name on the URL ("
              + name
              + ")");
    }
    checkNamespace(object, false);
    object.put("apiVersion", kind.groupVersion());
    object.put("kind", kind.kind());
    if (kind.subresource("status") != null) {
      // The main resource cannot change status; /status can.
      if (existing.containsKey("status")) {
        object.put("status", existing.get("status"));
      } else {
        object.remove("status");
      }
    }
    // The server's defaults: owned by an updating manager, never by an applying one.
    Defaults.apply(kind, object, api.store, api.kinds);
    Map<String, @Nullable Object> managed =
        applied != null ? object : api.fieldManager.update(kind, existing, object, manager());
    api.admission.admit(kind, managed, existing);
    return api.store.update(kind, managed, dryRun);
  }

  void checkResourceVersion(
      Map<String, @Nullable Object> replacement,
      Map<String, @Nullable Object> existing,
      String name) {
    String given = Doc.string(replacement, "metadata.resourceVersion");
    if (given != null
        && !given.isEmpty()
        && !given.equals(Doc.string(existing, "metadata.resourceVersion"))) {
      throw Status.conflict(kind, name);
    }
  }

  /** The result of a JSON, merge or strategic merge patch of {@code current}. */
  @SuppressWarnings("unchecked")
  Map<String, @Nullable Object> applyPatch(
      Map<String, @Nullable Object> current, String body, String contentType) throws IOException {
    String type = contentType.split(";", -1)[0].trim();
    Object parsed = Doc.parse(body);
    Object result;
    switch (type) {
      case "application/merge-patch+json" -> result = Patches.merge(current, parsed);
      case "application/strategic-merge-patch+json" ->
          result =
              kind.kind().equals(current.get("kind"))
                  ? api.strategicMerge.apply(kind, current, parsed)
                  : api.strategicMerge.applyWithoutSchema(current, parsed);
      case "application/json-patch+json" -> {
        if (!(parsed instanceof List)) {
          throw Status.badRequest("a JSON patch must be a list of operations");
        }
        result = Patches.json(current, (List<?>) parsed);
      }
      default ->
          throw new Status(
              415,
              "UnsupportedMediaType",
              "the body of the request was in an unknown format - accepted media types include:"
                  + " application/json-patch+json, application/merge-patch+json,"
                  + " application/apply-patch+yaml, application/strategic-merge-patch+json",
              Doc.obj());
    }
    if (!(result instanceof Map)) {
      throw Status.badRequest("the patch leaves no object: " + Doc.write(result));
    }
    return (Map<String, @Nullable Object>) result;
  }

  Map<String, @Nullable Object> require(
      @Nullable Map<String, @Nullable Object> object, String name) {
    if (object == null) {
      throw Status.notFound(kind, name);
    }
    return object;
  }
}
