package dev.devkube;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one check made by a {@link Waiter}: done (with the value to return), still pending
 * (with the state seen), or failed (the awaited thing can no longer happen).
 *
 * @param <T> the type of the value the wait returns
 */
public final class Poll<T> {
  private final @Nullable T value;
  private final String state;
  private final @Nullable String message;
  private final int ready;
  private final int total;
  private final boolean failed;
  private final Duration notBefore;

  private Poll(
      @Nullable T value,
      String state,
      @Nullable String message,
      int ready,
      int total,
      boolean failed,
      Duration notBefore) {
    this.value = value;
    this.state = state;
    this.message = message;
    this.ready = ready;
    this.total = total;
    this.failed = failed;
    this.notBefore = notBefore;
  }

  /** The wait is over: return {@code value}. */
  public static <T> Poll<T> done(T value) {
    return new Poll<>(
        Objects.requireNonNull(value, "value"), "done", null, 0, 0, false, Duration.ZERO);
  }

  /** Not yet: the awaited thing is in {@code state}. */
  public static <T> Poll<T> pending(String state) {
    return pending(state, null, 0, 0);
  }

  /** Not yet: the awaited thing is in {@code state}, with {@code ready} of {@code total} parts. */
  public static <T> Poll<T> pending(String state, @Nullable String message, int ready, int total) {
    return new Poll<>(
        null, Objects.requireNonNull(state, "state"), message, ready, total, false, Duration.ZERO);
  }

  /** Never: the awaited thing reached {@code state}, from which it does not recover. */
  public static <T> Poll<T> failed(String state, String reason) {
    return new Poll<>(
        null,
        Objects.requireNonNull(state, "state"),
        Objects.requireNonNull(reason, "reason"),
        0,
        0,
        true,
        Duration.ZERO);
  }

  /**
   * Returns a copy that asks the waiter not to check again sooner than {@code delay}, e.g. until a
   * rate limit resets.
   */
  public Poll<T> notBefore(Duration delay) {
    return new Poll<>(value, state, message, ready, total, failed, delay);
  }

  boolean isDone() {
    return value != null;
  }

  boolean isFailed() {
    return failed;
  }

  T value() {
    return Objects.requireNonNull(value);
  }

  String state() {
    return state;
  }

  String message() {
    return message == null ? "" : message;
  }

  Duration notBefore() {
    return notBefore;
  }

  Progress progress(String awaited, Duration elapsed) {
    return new Progress(awaited, state, message, ready, total, elapsed);
  }
}
