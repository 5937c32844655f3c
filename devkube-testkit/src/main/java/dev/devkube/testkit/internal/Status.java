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

  public static Status notFound(String plural, String name) {
    return new Status(
        404,
        "NotFound",
        plural + " \"" + name + "\" not found",
        Doc.obj("name", name, "kind", plural));
  }

  public static Status alreadyExists(String plural, String name) {
    return new Status(
        409,
        "AlreadyExists",
        plural + " \"" + name + "\" already exists",
        Doc.obj("name", name, "kind", plural));
  }

  public static Status conflict(String plural, String name) {
    return new Status(
        409,
        "Conflict",
        "Operation cannot be fulfilled on "
            + plural
            + " \""
            + name
            + "\": the object has been modified; please apply your changes to the latest version and"
            + " try again",
        Doc.obj("name", name, "kind", plural));
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
