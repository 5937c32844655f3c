package dev.devkube.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Medians and ranges for the results table. */
final class Stats {
  private Stats() {}

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /** {@code 123 [110-140]}: the median, then min-max. */
  static String format(List<Double> values, int decimals) {
    if (values == null || values.isEmpty()) {
      return "-";
    }
    String pattern = "%." + decimals + "f";
    String median = String.format(Locale.ROOT, pattern, median(values));
    if (values.size() == 1) {
      return median;
    }
    return median
        + " ["
        + String.format(Locale.ROOT, pattern, Collections.min(values))
        + "-"
        + String.format(Locale.ROOT, pattern, Collections.max(values))
        + "]";
  }
}
