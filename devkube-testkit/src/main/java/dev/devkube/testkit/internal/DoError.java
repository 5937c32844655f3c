package dev.devkube.testkit.internal;

/** A DigitalOcean error answer: status, error id and message. */
public final class DoError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final String id;

  public DoError(int code, String id, String message) {
    super(message);
    this.code = code;
    this.id = id;
  }

  public static DoError notFound() {
    return new DoError(404, "not_found", "The resource you were accessing could not be found.");
  }

  public static DoError invalid(String message) {
    return new DoError(422, "unprocessable_entity", message);
  }

  public int code() {
    return code;
  }

  public String id() {
    return id;
  }
}
