package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A request on a subresource: {@code status}, {@code scale}, {@code pods/log}, and the streams of
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}.
 */
final class SubresourceRequest extends Request {
  SubresourceRequest(
      KubeApi api,
      HttpExchange exchange,
      Rbac.User user,
      Kinds.Kind kind,
      @Nullable String namespace) {
    super(api, exchange, user, kind, namespace);
  }

  void subresource(String method, String name, String sub, String body, String contentType)
      throws IOException {
    Map<String, @Nullable Object> existing = require(api.store.get(kind, namespace, name), name);
    switch (sub) {
      case "log" -> {
        if (!method.equals("GET")) {
          throw Status.methodNotAllowed(method + " is not allowed on pods/log");
        }
        PodContainers.require(
            existing, name, Objects.requireNonNullElse(Http.query(exchange).get("container"), ""));
        Http.send(
            exchange,
            200,
            "text/plain",
            log(existing, api.logs.getOrDefault(namespace + "/" + name, "")));
      }
      case "status" -> status(method, existing, body, contentType);
      case "scale" -> scale(method, name, existing, body, contentType);
      case "exec", "attach", "portforward" -> api.streams().serve(exchange, method, existing, sub);
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

  /**
   * The log as the query asks: its last {@code tailLines}, each line after an RFC 3339 time with
   * {@code timestamps=true} (the fake's lines are a millisecond apart from the pod's start).
   */
  private String log(Map<String, @Nullable Object> pod, String text) {
    Map<String, String> query = Http.query(exchange);
    List<String> lines = new java.util.ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    java.time.Instant start;
    try {
      start =
          java.time.Instant.parse(
              Objects.requireNonNullElse(
                  Doc.string(pod, "status.startTime"),
                  Objects.requireNonNullElse(
                      Doc.string(pod, "metadata.creationTimestamp"), "1970-01-01T00:00:00Z")));
    } catch (java.time.format.DateTimeParseException e) {
      start = java.time.Instant.EPOCH;
    }
    StringBuilder out = new StringBuilder();
    int first = 0;
    String tail = query.get("tailLines");
    if (tail != null) {
      try {
        first = Math.max(0, lines.size() - Integer.parseInt(tail));
      } catch (NumberFormatException e) {
        throw Status.badRequest("invalid tailLines \"" + tail + "\"");
      }
    }
    boolean timestamps = KubeApi.bool(query, "timestamps");
    for (int i = first; i < lines.size(); i++) {
      if (timestamps) {
        out.append(start.plusMillis(i)).append(' ');
      }
      out.append(lines.get(i)).append('\n');
    }
    return out.toString();
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
      Map<String, @Nullable Object> replacement = KubeApi.parseObject(body, contentType);
      checkResourceVersion(
          replacement, existing, Objects.requireNonNull(Doc.string(existing, "metadata.name")));
      status = replacement.get("status");
    } else if (method.equals("PATCH")) {
      String type = contentType.split(";", -1)[0].trim();
      if (type.equals("application/apply-patch+yaml")) {
        Map<String, @Nullable Object> config = KubeApi.parseObject(body, type);
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
    send(200, api.store.update(kind, updated, dryRun));
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
      Map<String, @Nullable Object> replacement = KubeApi.parseObject(body, contentType);
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
        api.fieldManager.update(kind, existing, updated, manager());
    api.admission.admit(kind, managed, existing);
    send(200, scaleOf(api.store.update(kind, managed, dryRun)));
  }

  private Map<String, @Nullable Object> scaleOf(Map<String, @Nullable Object> object) {
    Map<String, @Nullable Object> metadata = Doc.obj();
    for (String key : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
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
}
