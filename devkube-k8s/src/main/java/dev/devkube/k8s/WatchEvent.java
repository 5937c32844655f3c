package dev.devkube.k8s;

import java.util.Objects;

/**
 * One change seen by a {@link Watch}: an object was added, modified or deleted.
 *
 * @param type what happened
 * @param object the object after the change (for DELETED, its last state)
 */
public record WatchEvent(Type type, KubeObject object) {
  public WatchEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(object, "object");
  }

  /** What happened to the object. */
  public enum Type {
    /** The object was created (or first seen). */
    ADDED,
    /** The object changed. */
    MODIFIED,
    /** The object was deleted. */
    DELETED
  }

  @Override
  public String toString() {
    return type + " " + object + " @" + object.resourceVersion();
  }
}
