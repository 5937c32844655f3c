package dev.devkube.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Finds the valid slugs nearest to a mistyped one, for "did you mean" messages. */
public final class Slugs {
  private Slugs() {}

  /**
   * Returns up to {@code limit} of {@code candidates} ordered by edit distance to {@code input}
   * (ties keep the candidates' order).
   */
  public static List<String> nearest(String input, Collection<String> candidates, int limit) {
    String needle = input.toLowerCase(Locale.ROOT);
    List<String> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingInt(c -> distance(needle, c.toLowerCase(Locale.ROOT))));
    return List.copyOf(sorted.subList(0, Math.min(limit, sorted.size())));
  }

  /** Levenshtein distance: insertions, deletions and substitutions each count one. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
