package dev.devkube;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * When the provider may upgrade and repair a cluster: a day of the week (or any day) and a start
 * time in UTC, in whole minutes.
 *
 * @param day the day, or null for any day
 * @param startTime the start time in UTC
 * @param duration how long the window lasts, as the provider reports it (it is the provider's to
 *     choose: null in a window that is asked for)
 */
public record MaintenanceWindow(
    @Nullable DayOfWeek day, LocalTime startTime, @Nullable Duration duration) {
  public MaintenanceWindow {
    Objects.requireNonNull(startTime, "startTime");
    if (duration != null && (duration.isNegative() || duration.isZero())) {
      throw new IllegalArgumentException(
          "maintenance window duration " + duration + " is not positive");
    }
    if (startTime.getSecond() != 0 || startTime.getNano() != 0) {
      throw new IllegalArgumentException(
          "maintenance start time "
              + startTime
              + " is not a whole minute: use hours and minutes, such as LocalTime.of(3, 0)");
    }
  }

  /** A window to ask for: on {@code day} (null for any day) at {@code startTime} UTC. */
  public MaintenanceWindow(@Nullable DayOfWeek day, LocalTime startTime) {
    this(day, startTime, null);
  }

  /** The same window, as lasting {@code duration}. */
  public MaintenanceWindow withDuration(@Nullable Duration duration) {
    return new MaintenanceWindow(day, startTime, duration);
  }

  /** A window on {@code day} starting at {@code startTime} UTC. */
  public static MaintenanceWindow on(DayOfWeek day, LocalTime startTime) {
    return new MaintenanceWindow(Objects.requireNonNull(day, "day"), startTime);
  }

  /** A window on any day starting at {@code startTime} UTC. */
  public static MaintenanceWindow anyDay(LocalTime startTime) {
    return new MaintenanceWindow(null, startTime);
  }
}
