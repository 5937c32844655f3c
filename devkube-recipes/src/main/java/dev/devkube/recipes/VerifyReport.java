package dev.devkube.recipes;

import java.util.List;

/**
 * What {@link DevEnvironment#verify()} found: one line per check, passed, failed (why, and what to
 * do) or skipped (why).
 */
public final class VerifyReport {
  /** How a check ended. */
  public enum Outcome {
    /** The check passed. */
    PASSED,
    /** The check failed; its detail says what was seen. */
    FAILED,
    /** The check did not apply to this environment. */
    SKIPPED
  }

  /** One check: what it proves, how it ended, and the detail. */
  public record Check(String name, Outcome outcome, String detail) {
    @Override
    public String toString() {
      return String.format("%-7s %s: %s", outcome, name, detail);
    }
  }

  private final List<Check> checks;

  VerifyReport(List<Check> checks) {
    this.checks = List.copyOf(checks);
  }

  /** Every check, in the order it ran. */
  public List<Check> checks() {
    return checks;
  }

  /** True when no check failed (skipped ones do not count against it). */
  public boolean passed() {
    return checks.stream().noneMatch(c -> c.outcome() == Outcome.FAILED);
  }

  /** The checks that failed. */
  public List<Check> failures() {
    return checks.stream().filter(c -> c.outcome() == Outcome.FAILED).toList();
  }

  /** One line per check. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    for (Check check : checks) {
      text.append(check).append('\n');
    }
    return text.toString();
  }
}
