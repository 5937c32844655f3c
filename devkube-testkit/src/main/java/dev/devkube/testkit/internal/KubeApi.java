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
  private final Map<String, Rbac.User> users;
  private final Rbac rbac;
  private final OpenApi openApi;
  private final FieldManager fieldManager;
  private final StrategicMerge strategicMerge;

  public KubeApi(
      Store store,
      Kinds kinds,
      Admission admission,
      Faults faults,
      @Nullable String token,
      Map<String, Rbac.User> users,
      Duration bookmarkInterval) {
    this.users = Map.copyOf(users);
    this.rbac = new Rbac(store, kinds);
    this.store = store;
    this.kinds = kinds;
    this.admission = admission;
    this.faults = faults;
    this.token = token;
    this.bookmarkInterval = bookmarkInterval;
    this.openApi = new OpenApi(kinds);
    this.fieldManager = new FieldManager(openApi);
    this.strategicMerge = new StrategicMerge(openApi);
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
    byte[] raw = exchange.getRequestBody().readAllBytes();
    String contentType =
        Objects.requireNonNullElse(
            exchange.getRequestHeaders().getFirst("Content-Type"), "application/json");
    String body;
    try {
      body = body(method, raw, contentType);
    } catch (Status status) {
      Http.json(exchange, status.code(), status.body());
      return;
    }
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
      Rbac.User user = authenticated(exchange);
      if (user == null) {
        throw Status.unauthorized();
      }
      route(exchange, user, method, path, body, contentType);
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

  private static final List<String> BODY_TYPES =
      List.of("application/json", "application/yaml", "application/vnd.kubernetes.protobuf");
  private static final List<String> PATCH_TYPES =
      List.of(
          "application/json-patch+json",
          "application/merge-patch+json",
          "application/strategic-merge-patch+json",
          "application/apply-patch+yaml");

  /**
   * The request body as JSON or YAML text: a protobuf body decoded, a content type the API server
   * cannot read refused with its 415.
   */
  private static String body(String method, byte[] raw, String contentType) {
    String type = contentType.split(";", -1)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (raw.length == 0 || method.equals("GET") || method.equals("DELETE")) {
      if (type.equals("application/vnd.kubernetes.protobuf") && raw.length > 0) {
        return Doc.write(Protobuf.decode(raw));
      }
      return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }
    List<String> accepted = method.equals("PATCH") ? PATCH_TYPES : BODY_TYPES;
    if (!accepted.contains(type)) {
      throw new Status(
          415,
          "UnsupportedMediaType",
          "the body of the request was in an unknown format - accepted media types include: "
              + String.join(", ", accepted),
          Doc.obj());
    }
    if (type.equals("application/vnd.kubernetes.protobuf")) {
      return Doc.write(Protobuf.decode(raw));
    }
    return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static final List<String> ADMIN_GROUPS =
      List.of("system:masters", "system:authenticated");

  /** The RBAC rules every cluster has, for tests and for the builder's limited users. */
  public Rbac rbac() {
    return rbac;
  }

  /** The user a request authenticates as, or null. */
  private Rbac.@Nullable User authenticated(HttpExchange exchange) {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      String given = authorization.substring("Bearer ".length());
      if (given.equals(token)) {
        return new Rbac.User("admin", ADMIN_GROUPS);
      }
      Rbac.User user = users.get(given);
      if (user != null) {
        return user;
      }
    }
    if (exchange instanceof HttpsExchange httpsExchange) {
      try {
        if (httpsExchange.getSSLSession().getPeerCertificates().length > 0) {
          return new Rbac.User("admin", ADMIN_GROUPS);
        }
      } catch (SSLPeerUnverifiedException e) {
        return null;
      }
    }
    return null;
  }

  private void route(
      HttpExchange exchange,
      Rbac.User user,
      String method,
      String path,
      String body,
      String contentType)
      throws IOException {
    List<String> parts = new ArrayList<>(List.of(path.replaceAll("^/+|/+$", "").split("/")));
    String trimmed =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    switch (trimmed) {
      case "/version" -> {
        Http.json(exchange, 200, version());
        return;
      }
      case "/healthz", "/readyz", "/livez" -> {
        Http.send(exchange, 200, "text/plain; charset=utf-8", "ok");
        return;
      }
      case "/api" -> {
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
      case "/apis" -> {
        List<Object> groups = new ArrayList<>();
        kinds.groups().keySet().forEach(group -> groups.add(apiGroup(group)));
        Http.json(
            exchange, 200, Doc.obj("kind", "APIGroupList", "apiVersion", "v1", "groups", groups));
        return;
      }
      default -> {}
    }
    if (parts.get(0).equals("openapi")) {
      openApi.serve(exchange, parts.subList(1, parts.size()));
      return;
    }
    if (parts.size() == 2
        && parts.get(0).equals("apis")
        && kinds.groups().containsKey(parts.get(1))) {
      Http.json(exchange, 200, apiGroup(parts.get(1)));
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
      throw notFound();
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
    if (kind == null || rest.size() > 3) {
      throw notFound();
    }
    String name = rest.size() > 1 ? rest.get(1) : null;
    String sub = rest.size() > 2 ? rest.get(2) : null;
    // A cluster-scoped kind has no namespaced paths, a namespaced one no cluster-wide item paths.
    if ((!kind.namespaced() && namespace != null)
        || (kind.namespaced() && namespace == null && name != null)) {
      throw notFound();
    }
    String verb =
        switch (method) {
          case "GET" ->
              name != null ? "get" : bool(Http.query(exchange), "watch") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name != null ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    if (!rbac.allowed(user, verb, kind, sub, namespace, name)) {
      throw Status.forbidden(kind, sub, name, namespace, user.name(), verb);
    }
    Resources resources = new Resources(exchange, user, kind, namespace);
    if (name == null) {
      resources.collection(method, body, contentType);
    } else if (sub != null) {
      if (kind.subresource(sub) == null) {
        throw notFound();
      }
      resources.subresource(method, name, sub, body, contentType);
    } else {
      resources.item(method, name, body, contentType);
    }
  }

  private static Map<String, @Nullable Object> version() {
    return Doc.obj(
        "major",
        "1",
        "minor",
        "36",
        "emulationMajor",
        "1",
        "emulationMinor",
        "36",
        "minCompatibilityMajor",
        "1",
        "minCompatibilityMinor",
        "35",
        "gitVersion",
        "v1.36.0",
        "gitCommit",
        "0000000000000000000000000000000000000000",
        "gitTreeState",
        "clean",
        "buildDate",
        "2026-04-22T00:00:00Z",
        "goVersion",
        "go1.26.2",
        "compiler",
        "gc",
        "platform",
        "linux/amd64");
  }

  /** An APIGroup: its versions, the newest generally available one preferred. */
  private Map<String, @Nullable Object> apiGroup(String group) {
    List<String> versions = new ArrayList<>(kinds.groups().get(group));
    versions.sort(
        java.util.Comparator.comparingInt((String v) -> Integer.parseInt(v.substring(1)))
            .reversed());
    List<Object> entries = new ArrayList<>();
    versions.forEach(v -> entries.add(Doc.obj("groupVersion", group + "/" + v, "version", v)));
    return Doc.obj(
        "kind",
        "APIGroup",
        "apiVersion",
        "v1",
        "name",
        group,
        "versions",
        entries,
        "preferredVersion",
        entries.get(0));
  }

  private void discovery(HttpExchange exchange, String groupVersion) throws IOException {
    List<Kinds.Kind> served = kinds.inGroupVersion(groupVersion);
    if (served.isEmpty()) {
      throw notFound();
    }
    List<Object> resources = new ArrayList<>();
    for (Kinds.Kind k : served) {
      Map<String, @Nullable Object> resource =
          Doc.obj(
              "name",
              k.plural(),
              "singularName",
              k.singular(),
              "namespaced",
              k.namespaced(),
              "kind",
              k.kind(),
              "verbs",
              k.verbs());
      if (!k.shortNames().isEmpty()) {
        resource.put("shortNames", k.shortNames());
      }
      if (!k.categories().isEmpty()) {
        resource.put("categories", k.categories());
      }
      resources.add(resource);
      for (Kinds.Subresource sub : k.subresources()) {
        Map<String, @Nullable Object> entry =
            Doc.obj("name", k.plural() + "/" + sub.name(), "singularName", "");
        entry.put("namespaced", k.namespaced());
        if (sub.group() != null) {
          entry.put("group", sub.group());
        }
        if (sub.version() != null) {
          entry.put("version", sub.version());
        }
        entry.put("kind", sub.kind());
        entry.put("verbs", sub.verbs());
        resources.add(entry);
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

  /** The API server's answer to a path it does not serve. */
  static Status notFound() {
    return new Status(
        404, "NotFound", "the server could not find the requested resource", Doc.obj());
  }

  /** Go's strconv.ParseBool, as the API server reads boolean query parameters. */
  static boolean bool(Map<String, String> query, String name) {
    String value = query.get(name);
    if (value == null || value.isEmpty()) {
      return false;
    }
    return switch (value) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default ->
          throw Status.badRequest(
              "strconv.ParseBool: parsing \""
                  + value
                  + "\": invalid syntax (query parameter "
                  + name
                  + ")");
    };
  }

  /** The verbs on one kind in one namespace (or none), for one request. */
  private final class Resources {
    private final HttpExchange exchange;
    private final Rbac.User user;
    private final Kinds.Kind kind;
    private final @Nullable String namespace;
    private final Map<String, String> query;
    private final boolean dryRun;
    private final String validation;
    private final List<String> warnings = new ArrayList<>();

    Resources(HttpExchange exchange, Rbac.User user, Kinds.Kind kind, @Nullable String namespace) {
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
    private String manager() {
      String manager = query.get("fieldManager");
      if (manager != null && !manager.isEmpty()) {
        if (manager.length() > 128) {
          throw Status.badRequest("fieldManager: Too long: may not be more than 128 bytes");
        }
        return manager;
      }
      String agent =
          Objects.requireNonNullElse(
              exchange.getRequestHeaders().getFirst("User-Agent"), "unknown");
      String product = agent.split("/", 2)[0].trim();
      return product.isEmpty() ? "unknown" : product.substring(0, Math.min(128, product.length()));
    }

    private boolean table() {
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      return accept != null
          && accept.contains("as=Table")
          && accept.split(",", -1)[0].contains("as=Table");
    }

    private void send(int code, Object body) throws IOException {
      for (String warning : warnings) {
        exchange
            .getResponseHeaders()
            .add("Warning", "299 - \"" + warning.replace("\"", "\\\"") + "\"");
      }
      Http.json(exchange, code, body);
    }

    void collection(String method, String body, String contentType) throws IOException {
      Predicate<Map<String, @Nullable Object>> filter =
          Selectors.labels(query.get("labelSelector"))
              .and(Selectors.fields(kind.kind(), query.get("fieldSelector")));
      switch (method) {
        case "GET" -> {
          if (bool(query, "watch")) {
            if ("websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
              // The fake offers no WebSocket watches: it declines the upgrade with an empty 200,
              // on which clients that try a WebSocket first (fabric8) watch over HTTP at once. (On
              // a 503 they would retry for about 20 s first; a streamed 200 would hang them.)
              Http.send(exchange, 200, "application/json", "");
              return;
            }
            new WatchStream(
                    store,
                    kind,
                    namespace,
                    filter,
                    query,
                    bookmarkInterval,
                    table() ? o -> Tables.of(kind, List.of(o), "") : null)
                .serve(exchange);
          } else {
            list(filter);
          }
        }
        case "POST" -> {
          if (!kind.verbs().contains("create")) {
            throw Status.methodNotAllowed(method + " is not allowed on " + kind.plural());
          }
          if (kind.namespaced() && namespace == null) {
            throw notFound();
          }
          Map<String, @Nullable Object> object = parseObject(body, contentType);
          if (review(object)) {
            return;
          }
          Map<String, @Nullable Object> created = create(object, null);
          send(201, created);
        }
        case "DELETE" -> {
          if (!kind.verbs().contains("deletecollection")) {
            throw Status.methodNotAllowed(method + " is not allowed on " + kind.plural());
          }
          List<Object> deleted = new ArrayList<>();
          for (Map<String, @Nullable Object> item : store.list(kind, namespace, filter)) {
            deleted.add(
                store.delete(
                    kind, namespace, String.valueOf(Doc.string(item, "metadata.name")), dryRun));
          }
          send(200, listBody(deleted, String.valueOf(store.resourceVersion()), null));
        }
        default -> throw Status.methodNotAllowed(method + " is not allowed on " + kind.plural());
      }
    }

    /**
     * Answers the review kinds, which the API server computes and never stores: access reviews
     * (from RBAC), rules reviews, who-am-I and token reviews. False for any other kind.
     */
    private boolean review(Map<String, @Nullable Object> object) throws IOException {
      String type = kind.kind();
      Map<String, @Nullable Object> status;
      switch (type) {
        case "SelfSubjectAccessReview", "SubjectAccessReview", "LocalSubjectAccessReview" -> {
          Rbac.User subject = user;
          if (!type.startsWith("Self")) {
            List<String> groups = new ArrayList<>();
            Doc.list(object, "spec.groups").forEach(g -> groups.add(String.valueOf(g)));
            subject = new Rbac.User(String.valueOf(Doc.string(object, "spec.user")), groups);
          }
          Object attributes = Doc.get(object, "spec.resourceAttributes");
          boolean allowed;
          if (attributes == null) {
            allowed =
                subject.admin()
                    || "get".equals(Doc.string(object, "spec.nonResourceAttributes.verb"));
          } else {
            String group = Objects.requireNonNullElse(Doc.string(attributes, "group"), "");
            String resource = Objects.requireNonNullElse(Doc.string(attributes, "resource"), "");
            Kinds.Kind target = null;
            for (Kinds.Kind k : kinds.all()) {
              if (k.group().equals(group) && k.plural().equals(resource)) {
                target = k;
                break;
              }
            }
            String ns = type.startsWith("Local") ? namespace : Doc.string(attributes, "namespace");
            String sub = Doc.string(attributes, "subresource");
            String verb = Objects.requireNonNullElse(Doc.string(attributes, "verb"), "");
            allowed =
                subject.admin()
                    || (target != null
                        && rbac.allowed(
                            subject,
                            verb,
                            target,
                            sub == null || sub.isEmpty() ? null : sub,
                            ns == null || ns.isEmpty() ? null : ns,
                            Doc.string(attributes, "name")));
          }
          status = Doc.obj("allowed", allowed);
          if (allowed && subject.admin()) {
            status.put("reason", "allowed by the system:masters group");
          }
        }
        case "SelfSubjectRulesReview" ->
            status = rbac.rulesReview(user, Doc.string(object, "spec.namespace"));
        case "SelfSubjectReview" ->
            status = Doc.obj("userInfo", Doc.obj("username", user.name(), "groups", user.groups()));
        case "TokenReview" -> {
          Rbac.User reviewed = users.get(String.valueOf(Doc.string(object, "spec.token")));
          if (reviewed == null && Objects.equals(token, Doc.string(object, "spec.token"))) {
            reviewed = new Rbac.User("admin", ADMIN_GROUPS);
          }
          status =
              reviewed == null
                  ? Doc.obj("authenticated", false, "error", "invalid bearer token")
                  : Doc.obj(
                      "authenticated",
                      true,
                      "user",
                      Doc.obj("username", reviewed.name(), "groups", reviewed.groups()));
        }
        default -> {
          return false;
        }
      }
      typeMeta(object);
      unknownFields(object, false);
      Doc.map(object, "metadata").put("creationTimestamp", null);
      object.put("status", status);
      send(201, object);
      return true;
    }

    private void list(Predicate<Map<String, @Nullable Object>> filter) throws IOException {
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
      int limit;
      try {
        limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : 0;
      } catch (NumberFormatException e) {
        throw Status.badRequest("invalid limit \"" + query.get("limit") + "\"");
      }
      int end = limit > 0 ? Math.min(all.size(), offset + limit) : all.size();
      String next = end < all.size() ? version + ":" + end : null;
      List<Map<String, @Nullable Object>> page = all.subList(Math.min(offset, all.size()), end);
      if (table()) {
        Map<String, @Nullable Object> table = Tables.of(kind, page, version);
        if (next != null) {
          Doc.map(table, "metadata").put("continue", next);
        }
        send(200, table);
        return;
      }
      List<Object> items = new ArrayList<>();
      for (Map<String, @Nullable Object> item : page) {
        item.remove("apiVersion");
        item.remove("kind");
        items.add(item);
      }
      send(200, listBody(items, version, next));
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

    /** Checks the body's apiVersion and kind against the path, then sets them. */
    private void typeMeta(Map<String, @Nullable Object> object) {
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
    private void unknownFields(Map<String, @Nullable Object> object, boolean apply) {
      List<String> unknown = openApi.prune(kind, object);
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

    /** What the registry resets on create: the status of kinds that have a status subresource. */
    private void resetStatus(Map<String, @Nullable Object> object) {
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

    /**
     * Creates an object (or, with dry run, answers what would be created). {@code managed} is the
     * object's managedFields from a server-side apply; null records an update by the manager.
     */
    private Map<String, @Nullable Object> create(
        Map<String, @Nullable Object> object, @Nullable Map<String, @Nullable Object> applied) {
      typeMeta(object);
      if (applied == null) {
        unknownFields(object, false);
      }
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
      checkNamespace(object, true);
      metadata.remove("resourceVersion");
      metadata.remove("uid");
      metadata.remove("creationTimestamp");
      resetStatus(object);
      if (applied == null) {
        Defaults.apply(kind, object, store, kinds);
      }
      Map<String, @Nullable Object> managed =
          applied != null ? object : fieldManager.update(kind, null, object, manager());
      Defaults.apply(kind, managed, store, kinds);
      admission.admit(kind, managed, Doc.obj());
      return store.create(kind, managed, dryRun);
    }

    private void checkNamespace(Map<String, @Nullable Object> object, boolean creating) {
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
      Kinds.Kind namespaces = Objects.requireNonNull(kinds.byKind("v1", "Namespace"));
      Map<String, @Nullable Object> owner = store.get(namespaces, null, namespace);
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

    void item(String method, String name, String body, String contentType) throws IOException {
      Map<String, @Nullable Object> existing = store.get(kind, namespace, name);
      switch (method) {
        case "GET" -> {
          Map<String, @Nullable Object> object = require(existing, name);
          send(
              200,
              table()
                  ? Tables.of(kind, List.of(object), String.valueOf(store.resourceVersion()))
                  : object);
        }
        case "PUT" -> {
          Map<String, @Nullable Object> replacement = parseObject(body, contentType);
          if (existing == null) {
            // An update that creates, as the API server allows for a few kinds, is refused here.
            throw Status.notFound(kind, name);
          }
          checkResourceVersion(replacement, existing, name);
          typeMeta(replacement);
          unknownFields(replacement, false);
          send(200, update(replacement, existing, name, null));
        }
        case "PATCH" -> patch(name, existing, body, contentType);
        case "DELETE" -> {
          Map<String, @Nullable Object> current = require(existing, name);
          if (kind.kind().equals("Namespace")) {
            send(200, terminate(current, name));
            return;
          }
          send(200, store.delete(kind, namespace, name, dryRun));
        }
        default ->
            throw Status.methodNotAllowed(
                method + " is not allowed on " + kind.plural() + "/" + name);
      }
    }

    /**
     * Deleting a namespace starts its termination, as on a cluster: it stays, Terminating, until
     * the namespace controller has deleted its contents. The system namespaces cannot be deleted.
     */
    private Map<String, @Nullable Object> terminate(
        Map<String, @Nullable Object> current, String name) {
      if (List.of("default", "kube-system", "kube-public").contains(name)) {
        throw new Status(
            403,
            "Forbidden",
            "namespaces \"" + name + "\" is forbidden: this namespace may not be deleted",
            Doc.obj("name", name, "kind", "namespaces"));
      }
      if (dryRun || Doc.get(current, "metadata.deletionTimestamp") != null) {
        return current;
      }
      Map<String, @Nullable Object> terminating = Doc.copy(current);
      Doc.map(terminating, "metadata")
          .put("deletionTimestamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
      Doc.map(terminating, "status").put("phase", "Terminating");
      Doc.map(terminating, "metadata").remove("resourceVersion");
      return store.update(kind, terminating);
    }

    private Map<String, @Nullable Object> update(
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
      if (applied == null) {
        Defaults.apply(kind, object, store, kinds);
      }
      Map<String, @Nullable Object> managed =
          applied != null ? object : fieldManager.update(kind, existing, object, manager());
      Defaults.apply(kind, managed, store, kinds);
      admission.admit(kind, managed, existing);
      return store.update(kind, managed, dryRun);
    }

    private void checkResourceVersion(
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
    private Map<String, @Nullable Object> applyPatch(
        Map<String, @Nullable Object> current, String body, String contentType) throws IOException {
      String type = contentType.split(";", -1)[0].trim();
      Object parsed = Doc.parse(body);
      Object result;
      switch (type) {
        case "application/merge-patch+json" -> result = Patches.merge(current, parsed);
        case "application/strategic-merge-patch+json" ->
            result =
                kind.kind().equals(current.get("kind"))
                    ? strategicMerge.apply(kind, current, parsed)
                    : strategicMerge.applyWithoutSchema(current, parsed);
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

    private void patch(
        String name,
        @Nullable Map<String, @Nullable Object> existing,
        String body,
        String contentType)
        throws IOException {
      String type = contentType.split(";", -1)[0].trim();
      if (type.equals("application/apply-patch+yaml")) {
        Map<String, @Nullable Object> config = parseObject(body, type);
        String manager = query.get("fieldManager");
        if (manager == null || manager.isEmpty()) {
          throw Status.badRequest("fieldManager: Required value: is required for apply patch");
        }
        if (!name.equals(Doc.string(config, "metadata.name"))) {
          throw Status.badRequest("the name of the object does not match the name on the URL");
        }
        typeMeta(config);
        unknownFields(config, true);
        Doc.map(config, "metadata").remove("resourceVersion");
        config.remove("status");
        boolean force = bool(query, "force");
        if (existing == null) {
          if (kind.namespaced() && namespace != null) {
            Doc.map(config, "metadata").put("namespace", namespace);
          }
          Map<String, @Nullable Object> applied =
              fieldManager.apply(kind, null, config, manager, force);
          send(201, create(applied, applied));
          return;
        }
        Map<String, @Nullable Object> merged =
            fieldManager.apply(kind, existing, config, manager, force);
        Doc.map(merged, "metadata").remove("resourceVersion");
        send(200, update(merged, existing, name, manager));
        return;
      }
      if (!force(type)) {
        throw new Status(
            400,
            "BadRequest",
            "force: Invalid value: true: may not be specified for non-apply patch",
            Doc.obj());
      }
      Map<String, @Nullable Object> current = require(existing, name);
      Map<String, @Nullable Object> patched = applyPatch(current, body, contentType);
      unknownFields(patched, false);
      Doc.map(patched, "metadata").remove("resourceVersion");
      String given = Doc.string(patched, "metadata.resourceVersion");
      if (given != null) {
        checkResourceVersion(patched, current, name);
      }
      send(200, update(patched, current, name, null));
    }

    /** Whether a non-apply patch is free of the apply-only {@code force} parameter. */
    private boolean force(String type) {
      return !query.containsKey("force") || type.equals("application/apply-patch+yaml");
    }

    void subresource(String method, String name, String sub, String body, String contentType)
        throws IOException {
      Map<String, @Nullable Object> existing = require(store.get(kind, namespace, name), name);
      switch (sub) {
        case "log" -> {
          if (!method.equals("GET")) {
            throw Status.methodNotAllowed(method + " is not allowed on pods/log");
          }
          Http.send(exchange, 200, "text/plain", logs.getOrDefault(namespace + "/" + name, ""));
        }
        case "status" -> status(method, existing, body, contentType);
        case "scale" -> scale(method, name, existing, body, contentType);
        default ->
            throw new Status(
                501,
                "NotImplemented",
                "FakeKubernetes does not serve "
                    + kind.plural()
                    + "/"
                    + sub
                    + " (containers do not run in the fake)",
                Doc.obj());
      }
    }

    /** {@code /status}: reads the object, writes only its status. */
    private void status(
        String method, Map<String, @Nullable Object> existing, String body, String contentType)
        throws IOException {
      if (method.equals("GET")) {
        send(200, existing);
        return;
      }
      Object status;
      if (method.equals("PUT")) {
        Map<String, @Nullable Object> replacement = parseObject(body, contentType);
        checkResourceVersion(
            replacement, existing, Objects.requireNonNull(Doc.string(existing, "metadata.name")));
        status = replacement.get("status");
      } else if (method.equals("PATCH")) {
        String type = contentType.split(";", -1)[0].trim();
        if (type.equals("application/apply-patch+yaml")) {
          Map<String, @Nullable Object> config = parseObject(body, type);
          status = Patches.merge(existing.get("status"), config.get("status"));
        } else {
          status = Doc.get(applyPatch(existing, body, contentType), "status");
        }
      } else {
        throw Status.methodNotAllowed(method + " is not allowed on " + kind.plural() + "/status");
      }
      Map<String, @Nullable Object> updated = Doc.copy(existing);
      updated.put("status", status);
      Doc.map(updated, "metadata").remove("resourceVersion");
      send(200, store.update(kind, updated, dryRun));
    }

    /** {@code /scale}: an autoscaling/v1 Scale over {@code spec.replicas}. */
    private void scale(
        String method,
        String name,
        Map<String, @Nullable Object> existing,
        String body,
        String contentType)
        throws IOException {
      Map<String, @Nullable Object> scale = scaleOf(existing);
      if (method.equals("GET")) {
        send(200, scale);
        return;
      }
      Object wanted;
      if (method.equals("PUT")) {
        Map<String, @Nullable Object> replacement = parseObject(body, contentType);
        checkResourceVersion(replacement, existing, name);
        wanted = replacement;
      } else if (method.equals("PATCH")) {
        wanted = applyPatch(scale, body, contentType);
      } else {
        throw Status.methodNotAllowed(method + " is not allowed on " + kind.plural() + "/scale");
      }
      Object replicas = Doc.get(wanted, "spec.replicas");
      if (!(replicas instanceof Long count) || count < 0) {
        throw Status.invalid(
            "Scale",
            name,
            List.of(
                Status.cause(
                    "FieldValueInvalid",
                    "spec.replicas",
                    "Invalid value: " + replicas + ": must be greater than or equal to 0")));
      }
      Map<String, @Nullable Object> updated = Doc.copy(existing);
      Doc.map(updated, "spec").put("replicas", count);
      Doc.map(updated, "metadata").remove("resourceVersion");
      Map<String, @Nullable Object> managed =
          fieldManager.update(kind, existing, updated, manager());
      admission.admit(kind, managed, existing);
      send(200, scaleOf(store.update(kind, managed, dryRun)));
    }

    private Map<String, @Nullable Object> scaleOf(Map<String, @Nullable Object> object) {
      Map<String, @Nullable Object> metadata = Doc.obj();
      for (String key :
          List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
        Object value = Doc.get(object, "metadata." + key);
        if (value != null) {
          metadata.put(key, value);
        }
      }
      Object replicas = Doc.get(object, "spec.replicas");
      Map<String, String> selector =
          kind.kind().equals("ReplicationController")
              ? Doc.strings(object, "spec.selector")
              : Doc.strings(object, "spec.selector.matchLabels");
      StringBuilder text = new StringBuilder();
      selector.forEach(
          (k, v) -> text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(v));
      Object current = Doc.get(object, "status.replicas");
      return Doc.obj(
          "kind",
          "Scale",
          "apiVersion",
          "autoscaling/v1",
          "metadata",
          metadata,
          "spec",
          Doc.obj("replicas", replicas == null ? 1L : replicas),
          "status",
          Doc.obj("replicas", current == null ? 0L : current, "selector", text.toString()));
    }

    private Map<String, @Nullable Object> require(
        @Nullable Map<String, @Nullable Object> object, String name) {
      if (object == null) {
        throw Status.notFound(kind, name);
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
