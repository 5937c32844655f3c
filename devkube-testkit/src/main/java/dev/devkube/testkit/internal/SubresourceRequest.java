package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A request on a subresource: {@code status}, {@code scale}, {@code pods/log}, and the streams of
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}.
 */
final class SubresourceRequest extends Request {
  /** How often a followed log looks for new text and for a change of its pod. */
  private static final long LOG_CHECK_MILLIS = 50;

  /** How often a followed log looks whether its client is still there. */
  private static final long LIVENESS_CHECK = TimeUnit.SECONDS.toNanos(1);

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
        Map<String, String> query = Http.query(exchange);
        String container =
            PodContainers.require(
                existing, name, Objects.requireNonNullElse(query.get("container"), ""));
        if (KubeApi.bool(query, "follow")) {
          follow(existing, name, container, query);
        } else {
          Http.send(exchange, 200, "text/plain", log(existing, logText(name), query));
        }
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

  private String logText(String name) {
    return api.logs.getOrDefault(namespace + "/" + name, "");
  }

  /** The log text's lines, without the empty one after a last newline. */
  private static List<String> lines(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** When the fake's lines begin: the pod's start (its lines are a millisecond apart). */
  private static Instant start(Map<String, @Nullable Object> pod) {
    try {
      return Instant.parse(
          Objects.requireNonNullElse(
              Doc.string(pod, "status.startTime"),
              Objects.requireNonNullElse(
                  Doc.string(pod, "metadata.creationTimestamp"), "1970-01-01T00:00:00Z")));
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  /** Lines {@code from} on, each after an RFC 3339 time with {@code timestamps=true}. */
  private static String format(
      List<String> lines, int from, Instant start, Map<String, String> query) {
    boolean timestamps = KubeApi.bool(query, "timestamps");
    StringBuilder out = new StringBuilder();
    for (int i = from; i < lines.size(); i++) {
      if (timestamps) {
        out.append(start.plusMillis(i)).append(' ');
      }
      out.append(lines.get(i)).append('\n');
    }
    return out.toString();
  }

  /** The log as the query asks: its last {@code tailLines}, with or without times. */
  private static String log(
      Map<String, @Nullable Object> pod, String text, Map<String, String> query) {
    List<String> lines = lines(text);
    return format(lines, first(lines, query), start(pod), query);
  }

  private static int first(List<String> lines, Map<String, String> query) {
    String tail = query.get("tailLines");
    if (tail == null) {
      return 0;
    }
    try {
      return Math.max(0, lines.size() - Integer.parseInt(tail));
    } catch (NumberFormatException e) {
      throw Status.badRequest("invalid tailLines \"" + tail + "\"");
    }
  }

  /**
   * {@code follow=true}: the log so far, then what {@code podLogs(...)} adds, while the container
   * runs; the stream ends, as a server's does, when the container stops or the pod goes (or the
   * client does, or the fake closes). A text that does not continue the one sent is sent whole. The
   * kubelet's own rule: Kubernetes {@code pkg/kubelet/kuberuntime/logs/logs.go}, {@code ReadLogs}
   * keeps following at the end of the file only while {@code isContainerRunning}.
   */
  private void follow(
      Map<String, @Nullable Object> pod, String name, String container, Map<String, String> query)
      throws IOException {
    Store.Subscription pods =
        api.store.subscribe(kind, namespace, String.valueOf(api.store.resourceVersion()));
    try {
      // What the log holds before the client sees the answer: anything added after it is news.
      List<String> sent = lines(logText(name));
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        Instant start = start(pod);
        write(out, format(sent, first(sent, query), start, query));
        long nextLook = System.nanoTime() + LIVENESS_CHECK;
        Map<String, @Nullable Object> current = api.store.get(kind, namespace, name);
        boolean running = current != null && !stopped(current, container);
        while (running) {
          Store.Change change = pods.queue().poll(LOG_CHECK_MILLIS, TimeUnit.MILLISECONDS);
          if (change != null && change.type().equals("CLOSE")) {
            return;
          }
          if (change != null && name.equals(Doc.string(change.object(), "metadata.name"))) {
            running = !change.type().equals("DELETED") && !stopped(change.object(), container);
          }
          List<String> now = lines(logText(name));
          if (!now.equals(sent)) {
            boolean continues =
                now.size() >= sent.size() && now.subList(0, sent.size()).equals(sent);
            write(out, format(now, continues ? sent.size() : 0, start, query));
            sent = now;
          }
          if (System.nanoTime() >= nextLook) {
            if (Http1Server.clientGone(exchange)) {
              return;
            }
            nextLook = System.nanoTime() + LIVENESS_CHECK;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client went away
      } finally {
        exchange.close();
      }
    } finally {
      api.store.unsubscribe(pods);
    }
  }

  /** Whether the container has stopped: its status says terminated, or the pod has ended. */
  private static boolean stopped(Map<String, @Nullable Object> pod, String container) {
    String phase = Doc.string(pod, "status.phase");
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return true;
    }
    for (String list : List.of("status.containerStatuses", "status.initContainerStatuses")) {
      for (Object status : Doc.list(pod, list)) {
        if (container.equals(Doc.string(status, "name"))
            && Doc.get(status, "state.terminated") != null) {
          return true;
        }
      }
    }
    return false;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
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
