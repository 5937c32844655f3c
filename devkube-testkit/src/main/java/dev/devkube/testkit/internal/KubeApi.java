package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsExchange;
import dev.devkube.testkit.ApiRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The fake API server's HTTP side: discovery, CRUD, patch, apply, delete, watch and pod logs. */
public final class KubeApi implements HttpHandler {
  final Store store;
  final Kinds kinds;
  final Admission admission;
  private final Faults faults;
  final @Nullable String token;
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
  final Map<String, String> logs = new java.util.concurrent.ConcurrentHashMap<>();
  private static final List<String> STREAMS = List.of("exec", "attach", "portforward");
  private final Volumes volumes;
  private final PodStreams streams;
  final Duration bookmarkInterval;
  final Map<String, Rbac.User> users;
  final Rbac rbac;
  final OpenApi openApi;
  final FieldManager fieldManager;
  final StrategicMerge strategicMerge;

  public KubeApi(
      Store store,
      Kinds kinds,
      Admission admission,
      Faults faults,
      @Nullable String token,
      Map<String, Rbac.User> users,
      Duration bookmarkInterval,
      dev.devkube.testkit.CloudDisks cloudDisks) {
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
    this.volumes = new Volumes(store, kinds, cloudDisks);
    this.streams = new PodStreams(store, kinds, volumes, logs);
  }

  /** exec, attach and port-forward, with the commands and port handlers tests add. */
  public PodStreams streams() {
    return streams;
  }

  /** The files of every volume. */
  public Volumes volumes() {
    return volumes;
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

  static final List<String> ADMIN_GROUPS = List.of("system:masters", "system:authenticated");

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
    if (sub != null && STREAMS.contains(sub) && kind.kind().equals("Pod")) {
      // A stream is authorized as "create" whatever the method: WebSocket clients send GET.
      verb = "create";
    }
    if (!rbac.allowed(user, verb, kind, sub, namespace, name)) {
      throw Status.forbidden(kind, sub, name, namespace, user.name(), verb);
    }
    if (name == null) {
      new ResourceRequest(this, exchange, user, kind, namespace)
          .collection(method, body, contentType);
    } else if (sub != null) {
      if (kind.subresource(sub) == null) {
        throw notFound();
      }
      new SubresourceRequest(this, exchange, user, kind, namespace)
          .subresource(method, name, sub, body, contentType);
    } else {
      new ResourceRequest(this, exchange, user, kind, namespace)
          .item(method, name, body, contentType);
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

  @SuppressWarnings("unchecked")
  static Map<String, @Nullable Object> parseObject(String body, String contentType)
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
