package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** A request on a collection or one item: list, watch, create, get, replace, patch, delete. */
final class ResourceRequest extends Request {
  ResourceRequest(
      KubeApi api,
      HttpExchange exchange,
      Rbac.User user,
      Kinds.Kind kind,
      @Nullable String namespace) {
    super(api, exchange, user, kind, namespace);
  }

  void collection(String method, String body, String contentType) throws IOException {
    Predicate<Map<String, @Nullable Object>> filter =
        Selectors.labels(query.get("labelSelector"))
            .and(Selectors.fields(kind.kind(), query.get("fieldSelector")));
    switch (method) {
      case "GET" -> {
        if (KubeApi.bool(query, "watch")) {
          if ("websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Upgrade"))) {
            // The fake offers no WebSocket watches: it declines the upgrade with an empty 200,
            // on which clients that try a WebSocket first (fabric8) watch over HTTP at once. (On
            // a 503 they would retry for about 20 s first; a streamed 200 would hang them.)
            Http.send(exchange, 200, "application/json", "");
            return;
          }
          new WatchStream(
                  api.store,
                  kind,
                  namespace,
                  filter,
                  query,
                  api.bookmarkInterval,
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
          throw KubeApi.notFound();
        }
        Map<String, @Nullable Object> object = KubeApi.parseObject(body, contentType);
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
        for (Map<String, @Nullable Object> item : api.store.list(kind, namespace, filter)) {
          deleted.add(
              api.store.delete(
                  kind, namespace, String.valueOf(Doc.string(item, "metadata.name")), dryRun));
        }
        send(200, listBody(deleted, String.valueOf(api.store.resourceVersion()), null));
      }
      default -> throw Status.methodNotAllowed(method + " is not allowed on " + kind.plural());
    }
  }

  /**
   * Answers the review api.kinds, which the API server computes and never stores: access reviews
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
          for (Kinds.Kind k : api.kinds.all()) {
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
                      && api.rbac.allowed(
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
          status = api.rbac.rulesReview(user, Doc.string(object, "spec.namespace"));
      case "SelfSubjectReview" ->
          status = Doc.obj("userInfo", Doc.obj("username", user.name(), "groups", user.groups()));
      case "TokenReview" -> {
        Rbac.User reviewed = api.users.get(String.valueOf(Doc.string(object, "spec.token")));
        if (reviewed == null && Objects.equals(api.token, Doc.string(object, "spec.token"))) {
          reviewed = new Rbac.User("admin", KubeApi.ADMIN_GROUPS);
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
    // One snapshot: a change between reading the objects and the version would be lost to a
    // client that lists, then watches from the list's version.
    Store.Snapshot snapshot = api.store.snapshot(kind, namespace, filter);
    List<Map<String, @Nullable Object>> all = snapshot.items();
    String version = String.valueOf(snapshot.resourceVersion());
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
    // The server's defaults: owned by an updating manager, never by an applying one.
    Defaults.apply(kind, object, api.store, api.kinds);
    Map<String, @Nullable Object> managed =
        applied != null ? object : api.fieldManager.update(kind, null, object, manager());
    api.admission.admit(kind, managed, Doc.obj());
    return api.store.create(kind, managed, dryRun);
  }

  void item(String method, String name, String body, String contentType) throws IOException {
    Map<String, @Nullable Object> existing = api.store.get(kind, namespace, name);
    switch (method) {
      case "GET" -> {
        Map<String, @Nullable Object> object = require(existing, name);
        send(
            200,
            table()
                ? Tables.of(kind, List.of(object), String.valueOf(api.store.resourceVersion()))
                : object);
      }
      case "PUT" -> {
        Map<String, @Nullable Object> replacement = KubeApi.parseObject(body, contentType);
        if (existing == null) {
          // An update that creates, as the API server allows for a few api.kinds, is refused here.
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
        send(200, api.store.delete(kind, namespace, name, dryRun));
      }
      default ->
          throw Status.methodNotAllowed(
              method + " is not allowed on " + kind.plural() + "/" + name);
    }
  }

  /**
   * Deleting a namespace starts its termination, as on a cluster: it stays, Terminating, until the
   * namespace controller has deleted its contents. The system namespaces cannot be deleted.
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
    return api.store.update(kind, terminating);
  }

  private void patch(
      String name,
      @Nullable Map<String, @Nullable Object> existing,
      String body,
      String contentType)
      throws IOException {
    String type = contentType.split(";", -1)[0].trim();
    if (type.equals("application/apply-patch+yaml")) {
      Map<String, @Nullable Object> config = KubeApi.parseObject(body, type);
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
      boolean force = KubeApi.bool(query, "force");
      if (existing == null) {
        if (kind.namespaced() && namespace != null) {
          Doc.map(config, "metadata").put("namespace", namespace);
        }
        Map<String, @Nullable Object> applied =
            api.fieldManager.apply(kind, null, config, manager, force);
        send(201, create(applied, applied));
        return;
      }
      Map<String, @Nullable Object> merged =
          api.fieldManager.apply(kind, existing, config, manager, force);
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
}
