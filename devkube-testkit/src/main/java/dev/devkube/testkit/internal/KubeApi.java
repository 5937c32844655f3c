package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import dev.devkube.testkit.ApiRequest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The fake API server's HTTP side: discovery, CRUD, patch, apply, delete, watch and pod logs. */
public final class KubeApi implements HttpHandler {
  private final Store store;
  private final Kinds kinds;
  private final Admission admission;
  private final Faults faults;
  private final @Nullable String token;
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
  private final Map<String, String> logs = new java.util.concurrent.ConcurrentHashMap<>();
  private final Duration bookmarkInterval;

  public KubeApi(
      Store store,
      Kinds kinds,
      Admission admission,
      Faults faults,
      @Nullable String token,
      Duration bookmarkInterval) {
    this.store = store;
    this.kinds = kinds;
    this.admission = admission;
    this.faults = faults;
    this.token = token;
    this.bookmarkInterval = bookmarkInterval;
  }

  public List<ApiRequest> requests() {
    return requests;
  }

  public void setLogs(String namespace, String pod, String text) {
    logs.put(namespace + "/" + pod, text);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    String body = Http.body(exchange);
    String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    requests.add(
        new ApiRequest(
            method,
            path,
            Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), ""),
            contentType,
            body));
    try {
      Faults.Fault fault = faults.take(method, path);
      if (fault != null) {
        if (!fault.delay().isZero()) {
          Thread.sleep(fault.delay().toMillis());
        }
        if (fault.status() == 0) {
          exchange.close();
          return;
        }
        if (fault.status() > 0) {
          Http.send(exchange, fault.status(), "application/json", fault.body());
          return;
        }
      }
      if (!authenticated(exchange)) {
        throw Status.unauthorized();
      }
      route(exchange, method, path, body, contentType);
    } catch (Status status) {
      Http.json(exchange, status.code(), status.body());
    } catch (IOException | RuntimeException e) {
      Status status =
          e instanceof IOException
              ? Status.badRequest("the request body is not valid: " + e.getMessage())
              : new Status(500, "InternalError", "fake API server error: " + e, Doc.obj());
      try {
        Http.json(exchange, status.code(), status.body());
      } catch (IOException ignored) {
        exchange.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    }
  }

  private boolean authenticated(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (token != null && ("Bearer " + token).equals(authorization)) {
      return true;
    }
    if (exchange instanceof HttpsExchange httpsExchange) {
      try {
        return httpsExchange.getSSLSession().getPeerCertificates().length > 0;
      } catch (SSLPeerUnverifiedException e) {
        return false;
      }
    }
    return false;
  }

  private void route(
      HttpExchange exchange, String method, String path, String body, String contentType)
      throws IOException {
    List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
    if (path.equals("/version")) {
      Http.json(
          exchange,
          200,
          Doc.obj(
              "major",
              "1",
              "minor",
              "36",
              "gitVersion",
              "v1.36.0-devkube-fake",
              "platform",
              "linux/amd64"));
      return;
    }
    if (path.equals("/api")) {
      Http.json(
          exchange,
          200,
          Doc.obj(
              "kind",
              "APIVersions",
              "versions",
              List.of("v1"),
              "serverAddressByClientCIDRs",
              List.of(Doc.obj("clientCIDR", "0.0.0.0/0", "serverAddress", "127.0.0.1:443"))));
      return;
    }
    if (path.equals("/apis")) {
      List<Object> groups = new ArrayList<>();
      kinds
          .groups()
          .forEach(
              (group, versions) -> {
                List<Object> entries = new ArrayList<>();
                versions.forEach(
                    v -> entries.add(Doc.obj("groupVersion", group + "/" + v, "version", v)));
                groups.add(
                    Doc.obj(
                        "name", group, "versions", entries, "preferredVersion", entries.get(0)));
              });
      Http.json(
          exchange, 200, Doc.obj("kind", "APIGroupList", "apiVersion", "v1", "groups", groups));
      return;
    }
    String groupVersion;
    List<String> rest;
    if (parts.size() >= 2 && parts.get(0).equals("api")) {
      groupVersion = parts.get(1);
      rest = parts.subList(2, parts.size());
    } else if (parts.size() >= 3 && parts.get(0).equals("apis")) {
      groupVersion = parts.get(1) + "/" + parts.get(2);
      rest = parts.subList(3, parts.size());
    } else {
      throw new Status(
          404, "NotFound", "the server could not find the requested resource", Doc.obj());
    }
    if (rest.isEmpty()) {
      discovery(exchange, groupVersion);
      return;
    }
    String namespace = null;
    if (rest.size() >= 3
        && rest.get(0).equals("namespaces")
        && kinds.byPlural(groupVersion, rest.get(2)) != null) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    Kinds.Kind kind = kinds.byPlural(groupVersion, rest.get(0));
    if (kind == null) {
      throw new Status(
          404, "NotFound", "the server could not find the requested resource", Doc.obj());
    }
    String name = rest.size() > 1 ? rest.get(1) : null;
    String sub = rest.size() > 2 ? rest.get(2) : null;
    Resources resources = new Resources(kind, kind.namespaced() ? namespace : null);
    if (name == null) {
      resources.collection(exchange, method, body);
    } else if (sub != null) {
      resources.subresource(exchange, method, name, sub, body);
    } else {
      resources.item(exchange, method, name, body, contentType);
    }
  }

  private void discovery(HttpExchange exchange, String groupVersion) throws IOException {
    List<Kinds.Kind> served = kinds.inGroupVersion(groupVersion);
    if (served.isEmpty()) {
      throw new Status(
          404, "NotFound", "the server could not find the requested resource", Doc.obj());
    }
    List<Object> resources = new ArrayList<>();
    for (Kinds.Kind k : served) {
      resources.add(
          Doc.obj(
              "name",
              k.plural(),
              "singularName",
              k.kind().toLowerCase(java.util.Locale.ROOT),
              "namespaced",
              k.namespaced(),
              "kind",
              k.kind(),
              "verbs",
              k.verbs()));
      for (String sub : k.subresources()) {
        resources.add(
            Doc.obj(
                "name",
                k.plural() + "/" + sub,
                "singularName",
                "",
                "namespaced",
                k.namespaced(),
                "kind",
                k.kind(),
                "verbs",
                List.of("get", "patch", "update")));
      }
    }
    Http.json(
        exchange,
        200,
        Doc.obj(
            "kind",
            "APIResourceList",
            "apiVersion",
            "v1",
            "groupVersion",
            groupVersion,
            "resources",
            resources));
  }

  /** The verbs on one kind in one namespace (or none). */
  private final class Resources {
    private final Kinds.Kind kind;
    private final @Nullable String namespace;

    Resources(Kinds.Kind kind, @Nullable String namespace) {
      this.kind = kind;
      this.namespace = namespace;
    }

    void collection(HttpExchange exchange, String method, String body) throws IOException {
      Map<String, String> query = Http.query(exchange);
      Predicate<Map<String, @Nullable Object>> filter =
          Selectors.labels(query.get("labelSelector"))
              .and(Selectors.fields(query.get("fieldSelector")));
      switch (method) {
        case "GET" -> {
          if ("true".equals(query.get("watch")) || "1".equals(query.get("watch"))) {
            if ("websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
              // Clients that try a WebSocket first (fabric8) fall back to a plain watch on a 503.
              throw new Status(
                  503,
                  "ServiceUnavailable",
                  "FakeKubernetes serves watches as HTTP streams, not WebSocket upgrades",
                  Map.of());
            }
            new WatchStream(store, kind, namespace, filter, query, bookmarkInterval)
                .serve(exchange);
          } else {
            list(exchange, filter, query);
          }
          return;
        }
        case "POST" -> {
          Map<String, @Nullable Object> object = parseObject(body, "application/json");
          Http.json(exchange, 201, create(object));
          return;
        }
        case "DELETE" -> {
          List<Object> deleted = new ArrayList<>();
          for (Map<String, @Nullable Object> item : store.list(kind, namespace, filter)) {
            deleted.add(
                store.delete(kind, namespace, String.valueOf(Doc.string(item, "metadata.name"))));
          }
          Http.json(
              exchange, 200, listBody(deleted, String.valueOf(store.resourceVersion()), null));
          return;
        }
        default -> throw Status.methodNotAllowed(method + " is not allowed on " + kind.plural());
      }
    }

    private void list(
        HttpExchange exchange,
        Predicate<Map<String, @Nullable Object>> filter,
        Map<String, String> query)
        throws IOException {
      List<Map<String, @Nullable Object>> all = store.list(kind, namespace, filter);
      String version = String.valueOf(store.resourceVersion());
      int offset = 0;
      String token = query.get("continue");
      if (token != null && !token.isEmpty()) {
        try {
          offset = Integer.parseInt(token.substring(token.indexOf(':') + 1));
        } catch (NumberFormatException e) {
          throw Status.badRequest("invalid continue token");
        }
      }
      int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : 0;
      int end = limit > 0 ? Math.min(all.size(), offset + limit) : all.size();
      List<Object> items = new ArrayList<>();
      for (Map<String, @Nullable Object> item : all.subList(Math.min(offset, all.size()), end)) {
        item.remove("apiVersion");
        item.remove("kind");
        items.add(item);
      }
      Http.json(
          exchange, 200, listBody(items, version, end < all.size() ? version + ":" + end : null));
    }

    private Map<String, @Nullable Object> listBody(
        List<Object> items, String version, @Nullable String next) {
      Map<String, @Nullable Object> metadata = Doc.obj("resourceVersion", version);
      if (next != null) {
        metadata.put("continue", next);
      }
      return Doc.obj(
          "kind",
          kind.kind() + "List",
          "apiVersion",
          kind.groupVersion(),
          "metadata",
          metadata,
          "items",
          items);
    }

    private Map<String, @Nullable Object> create(Map<String, @Nullable Object> object) {
      Map<String, @Nullable Object> metadata = Doc.map(object, "metadata");
      if (metadata.get("name") == null && metadata.get("generateName") != null) {
        metadata.put(
            "name",
            metadata.get("generateName")
                + Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36));
      }
      if (metadata.get("name") == null) {
        throw Status.invalid(
            kind.kind(),
            "",
            List.of(
                Status.cause(
                    "FieldValueRequired",
                    "metadata.name",
                    "Required value: name or generateName is required")));
      }
      checkNamespace(object);
      object.put("apiVersion", kind.groupVersion());
      object.put("kind", kind.kind());
      admission.admit(kind, object, Doc.obj());
      return store.create(kind, object);
    }

    private void checkNamespace(Map<String, @Nullable Object> object) {
      if (!kind.namespaced()) {
        Doc.map(object, "metadata").remove("namespace");
        return;
      }
      String given = Doc.string(object, "metadata.namespace");
      if (given != null && !given.equals(namespace)) {
        throw Status.badRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      if (namespace == null) {
        throw Status.methodNotAllowed(
            "a namespaced " + kind.kind() + " needs a namespace in the path");
      }
      Doc.map(object, "metadata").put("namespace", namespace);
      Kinds.Kind namespaces = Objects.requireNonNull(kinds.byKind("v1", "Namespace"));
      if (store.get(namespaces, null, namespace) == null) {
        throw new Status(
            404,
            "NotFound",
            "namespaces \"" + namespace + "\" not found",
            Doc.obj("name", namespace, "kind", "namespaces"));
      }
    }

    void item(HttpExchange exchange, String method, String name, String body, String contentType)
        throws IOException {
      Map<String, @Nullable Object> existing = store.get(kind, namespace, name);
      switch (method) {
        case "GET" -> {
          Http.json(exchange, 200, require(existing, name));
          return;
        }
        case "PUT" -> {
          Map<String, @Nullable Object> replacement = parseObject(body, "application/json");
          require(existing, name);
          Http.json(exchange, 200, update(replacement, Objects.requireNonNull(existing), name));
          return;
        }
        case "PATCH" -> {
          patch(exchange, name, existing, body, contentType);
          return;
        }
        case "DELETE" -> {
          Http.json(exchange, 200, store.delete(kind, namespace, name));
          return;
        }
        default ->
            throw Status.methodNotAllowed(
                method + " is not allowed on " + kind.plural() + "/" + name);
      }
    }

    private Map<String, @Nullable Object> update(
        Map<String, @Nullable Object> object, Map<String, @Nullable Object> existing, String name) {
      if (!name.equals(Doc.string(object, "metadata.name"))) {
        throw Status.badRequest(
            "the name of the object ("
                + Doc.string(object, "metadata.name")
                + ") does not match the name on the URL ("
                + name
                + ")");
      }
      checkNamespace(object);
      object.put("apiVersion", kind.groupVersion());
      object.put("kind", kind.kind());
      if (!object.containsKey("status") && existing.containsKey("status")) {
        object.put("status", existing.get("status"));
      }
      admission.admit(kind, object, existing);
      return store.update(kind, object);
    }

    @SuppressWarnings("unchecked")
    private void patch(
        HttpExchange exchange,
        String name,
        @Nullable Map<String, @Nullable Object> existing,
        String body,
        String contentType)
        throws IOException {
      String type = contentType.split(";", -1)[0].trim();
      Map<String, String> query = Http.query(exchange);
      if (type.equals("application/apply-patch+yaml")) {
        Map<String, @Nullable Object> applied = parseObject(body, type);
        String manager = query.get("fieldManager");
        if (manager == null || manager.isEmpty()) {
          throw Status.badRequest("PATCH with apply requires the fieldManager query parameter");
        }
        if (!name.equals(Doc.string(applied, "metadata.name"))) {
          throw Status.badRequest("the name of the object does not match the name on the URL");
        }
        Doc.map(applied, "metadata").remove("resourceVersion");
        applied.remove("status");
        if (existing == null) {
          Doc.map(applied, "metadata").put("managedFields", List.of(managedField(manager)));
          Http.json(exchange, 201, create(applied));
          return;
        }
        Map<String, @Nullable Object> merged =
            (Map<String, @Nullable Object>)
                Objects.requireNonNull(Patches.strategic(existing, applied));
        Doc.map(merged, "metadata").put("managedFields", managers(existing, manager));
        Doc.map(merged, "metadata").remove("resourceVersion");
        Http.json(exchange, 200, update(merged, existing, name));
        return;
      }
      Map<String, @Nullable Object> current = require(existing, name);
      Object parsed = Doc.parse(body);
      Object result;
      switch (type) {
        case "application/merge-patch+json" -> result = Patches.merge(current, parsed);
        case "application/strategic-merge-patch+json" ->
            result = Patches.strategic(current, parsed);
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
                "the body of the request was in an unknown format - "
                    + "accepted media types include: application/json-patch+json, application/merge-patch+json,"
                    + " application/apply-patch+yaml",
                Doc.obj());
      }
      if (!(result instanceof Map)) {
        throw Status.badRequest("the patch leaves no object: " + Doc.write(result));
      }
      Map<String, @Nullable Object> patched = (Map<String, @Nullable Object>) result;
      Doc.map(patched, "metadata").remove("resourceVersion");
      Http.json(exchange, 200, update(patched, current, name));
    }

    /**
     * The managers, with an entry for {@code manager} added if it has none (kept as it is
     * otherwise).
     */
    private List<Object> managers(Map<String, @Nullable Object> existing, String manager) {
      List<Object> fields = Doc.list(existing, "metadata.managedFields");
      if (fields.stream().noneMatch(f -> manager.equals(Doc.get(f, "manager")))) {
        fields.add(managedField(manager));
      }
      return fields;
    }

    private Map<String, @Nullable Object> managedField(String manager) {
      return Doc.obj(
          "manager",
          manager,
          "operation",
          "Apply",
          "apiVersion",
          kind.groupVersion(),
          "time",
          Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
          "fieldsType",
          "FieldsV1");
    }

    void subresource(HttpExchange exchange, String method, String name, String sub, String body)
        throws IOException {
      Map<String, @Nullable Object> existing = require(store.get(kind, namespace, name), name);
      if (sub.equals("log") && kind.kind().equals("Pod")) {
        Http.send(exchange, 200, "text/plain", logs.getOrDefault(namespace + "/" + name, ""));
        return;
      }
      if (!sub.equals("status")) {
        throw new Status(
            404, "NotFound", "the server could not find the requested resource", Doc.obj());
      }
      if (method.equals("GET")) {
        Http.json(exchange, 200, existing);
        return;
      }
      Object parsed = Doc.parse(body);
      Object status =
          method.equals("PUT")
              ? Doc.get(parsed, "status")
              : Patches.merge(existing.get("status"), Doc.get(parsed, "status"));
      existing.put("status", status);
      Doc.map(existing, "metadata").remove("resourceVersion");
      Http.json(exchange, 200, store.update(kind, existing));
    }

    private Map<String, @Nullable Object> require(
        @Nullable Map<String, @Nullable Object> object, String name) {
      if (object == null) {
        throw Status.notFound(kind.plural(), name);
      }
      return object;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, @Nullable Object> parseObject(String body, String contentType)
      throws IOException {
    Object parsed;
    try {
      parsed = Doc.parse(body);
    } catch (IOException e) {
      if (!contentType.contains("yaml")) {
        throw e;
      }
      parsed = Doc.copy(new Load(LoadSettings.builder().build()).loadFromString(body));
    }
    if (!(parsed instanceof Map)) {
      throw Status.badRequest("the request body is not an object");
    }
    return (Map<String, @Nullable Object>) parsed;
  }
}
