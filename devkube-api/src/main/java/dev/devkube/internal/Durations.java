package dev.devkube.internal;

import java.time.Duration;

/** Formats durations for people: {@code 20m}, {@code 1m20s}, {@code 2.5s}, {@code 150ms}. */
public final class Durations {
  private Durations() {}

  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    int fraction = duration.toMillisPart() / 100;
    StringBuilder result = new StringBuilder();
    if (hours > 0) {
      result.append(hours).append('h');
    }
    if (minutes > 0) {
      result.append(minutes).append('m');
    }
    if (seconds > 0 || fraction > 0) {
      result.append(seconds);
      if (fraction > 0 && hours == 0 && minutes == 0) {
        result.append('.').append(fraction);
      }
      result.append('s');
    }
    return result.toString();
  }
}
