package dev.devkube.testkit.internal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A failure as the API server reports it: a Status object and its HTTP code. */
public final class Status extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final String reason;
  private final transient Map<String, @Nullable Object> details;

  public Status(int code, String reason, String message, Map<String, @Nullable Object> details) {
    super(message);
    this.code = code;
    this.reason = reason;
    this.details = details;
  }

  public int code() {
    return code;
  }

  public Map<String, @Nullable Object> body() {
    Map<String, @Nullable Object> status =
        Doc.obj(
            "kind",
            "Status",
            "apiVersion",
            "v1",
            "metadata",
            Doc.obj(),
            "status",
            "Failure",
            "message",
            getMessage(),
            "reason",
            reason);
    if (!details.isEmpty()) {
      status.put("details", details);
    }
    status.put("code", (long) code);
    return status;
  }

  /** The details of a Status about one object: its name, group (unless core) and plural. */
  private static Map<String, @Nullable Object> details(Kinds.Kind kind, String name) {
    Map<String, @Nullable Object> details = Doc.obj("name", name);
    if (!kind.group().isEmpty()) {
      details.put("group", kind.group());
    }
    details.put("kind", kind.plural());
    return details;
  }

  public static Status notFound(Kinds.Kind kind, String name) {
    return new Status(
        404, "NotFound", kind.resource() + " \"" + name + "\" not found", details(kind, name));
  }

  public static Status alreadyExists(Kinds.Kind kind, String name) {
    return new Status(
        409,
        "AlreadyExists",
        kind.resource() + " \"" + name + "\" already exists",
        details(kind, name));
  }

  public static Status conflict(Kinds.Kind kind, String name) {
    return new Status(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + kind.resource()
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version and"
            + " try again",
        details(kind, name));
  }

  /**
   * 403 as the RBAC authorizer words it: {@code pods "x" is forbidden: User "u" cannot get resource
   * "pods" in API group "" in the namespace "ns"}.
   */
  public static Status forbidden(
      Kinds.Kind kind,
      @Nullable String subresource,
      @Nullable String name,
      @Nullable String namespace,
      String user,
      String verb) {
    String resource = kind.plural() + (subresource == null ? "" : "/" + subresource);
    String message =
        kind.resource()
            + (name == null ? "" : " \"" + name + "\"")
            + " is forbidden: User \""
            + user
            + "\" cannot "
            + verb
            + " resource \""
            + resource
            + "\" in API group \""
            + kind.group()
            + "\" "
            + (namespace == null
                ? "at the cluster scope"
                : "in the namespace \"" + namespace + "\"");
    Map<String, @Nullable Object> details = Doc.obj();
    if (name != null) {
      details.put("name", name);
    }
    if (!kind.group().isEmpty()) {
      details.put("group", kind.group());
    }
    details.put("kind", kind.plural());
    return new Status(403, "Forbidden", message, details);
  }

  /** 422 with one cause per field, worded as the API server words them. */
  public static Status invalid(
      String kind, String name, List<Map<String, @Nullable Object>> causes) {
    StringBuilder message = new StringBuilder(kind + " \"" + name + "\" is invalid: ");
    for (int i = 0; i < causes.size(); i++) {
      message
          .append(i == 0 ? "" : ", ")
          .append(causes.get(i).get("field"))
          .append(": ")
          .append(causes.get(i).get("message"));
    }
    return new Status(
        422, "Invalid", message.toString(), Doc.obj("name", name, "kind", kind, "causes", causes));
  }

  public static Map<String, @Nullable Object> cause(String reason, String field, String message) {
    return Doc.obj("reason", reason, "message", message, "field", field);
  }

  public static Status badRequest(String message) {
    return new Status(400, "BadRequest", message, Doc.obj());
  }

  public static Status invalidPatch(String message) {
    return new Status(422, "Invalid", message, Doc.obj());
  }

  public static Status methodNotAllowed(String message) {
    return new Status(405, "MethodNotAllowed", message, Doc.obj());
  }

  public static Status gone(String message) {
    return new Status(410, "Expired", message, Doc.obj());
  }

  public static Status unauthorized() {
    return new Status(401, "Unauthorized", "Unauthorized", Doc.obj());
  }
}
