package dev.devkube.k8s;

import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Something to wait for about one object, for {@link KubeResource#waitUntil}. Given the object's
 * current state (null while it does not exist), it says whether the wait is over, must go on (and
 * the state to report), or can never succeed. {@link Conditions} has the usual ones.
 */
public interface Condition {
  /** What is awaited, to follow the object's name in messages: {@code to be running}. */
  String description();

  /** Judges the object's current state; null means it does not exist. */
  Check check(@Nullable KubeObject object);

  /** A condition from a predicate; the wait never fails early. */
  static Condition of(String description, Predicate<KubeObject> predicate) {
    Objects.requireNonNull(predicate, "predicate");
    return new Condition() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public Check check(@Nullable KubeObject object) {
        return object != null && predicate.test(object)
            ? Check.met()
            : Check.notYet(object == null ? "absent" : "not yet");
      }
    };
  }

  /**
   * The verdict on one state of the object.
   *
   * @param outcome met, not yet, or failed
   * @param state the state seen, for progress and timeout messages, e.g. {@code Pending (nfs:
   *     ImagePullBackOff)}
   */
  record Check(Outcome outcome, String state) {
    public Check {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(state, "state");
    }

    /** The condition holds. */
    public static Check met() {
      return new Check(Outcome.MET, "done");
    }

    /** The condition does not hold yet; {@code state} is what is seen instead. */
    public static Check notYet(String state) {
      return new Check(Outcome.NOT_YET, state);
    }

    /** The condition can no longer become true; {@code reason} says why. */
    public static Check failed(String reason) {
      return new Check(Outcome.FAILED, reason);
    }
  }

  /** The three verdicts. */
  enum Outcome {
    /** The condition holds. */
    MET,
    /** The condition may still come to hold. */
    NOT_YET,
    /** The condition can no longer hold. */
    FAILED
  }
}
