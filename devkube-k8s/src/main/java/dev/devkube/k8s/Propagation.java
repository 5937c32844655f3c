package dev.devkube.k8s;

/** What happens to the objects an object owns when it is deleted (e.g. a Deployment's pods). */
public enum Propagation {
  /** The owner is deleted once its dependents are gone. */
  FOREGROUND("Foreground"),
  /** The owner is deleted at once; the garbage collector removes its dependents after. */
  BACKGROUND("Background"),
  /** The dependents are kept, without an owner. */
  ORPHAN("Orphan");

  private final String value;

  Propagation(String value) {
    this.value = value;
  }

  /** The name the API server uses, e.g. {@code Foreground}. */
  public String value() {
    return value;
  }
}
