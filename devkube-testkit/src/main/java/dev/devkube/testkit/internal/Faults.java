package dev.devkube.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Failures a test asks for: answer the next N matching requests with an error, drop or delay them.
 */
public final class Faults {
  /**
   * One planned fault.
   *
   * @param method the HTTP method to match, or null for any
   * @param pathPrefix the path prefix to match
   * @param remaining how many more requests it applies to
   * @param status the status to answer with, or 0 to drop the connection instead
   * @param body the body to answer with
   * @param delay how long to hold the request first
   */
  public record Fault(
      @Nullable String method,
      String pathPrefix,
      int remaining,
      int status,
      String body,
      Duration delay) {}

  private final List<Fault> faults = new ArrayList<>();

  public synchronized void add(Fault fault) {
    faults.add(fault);
  }

  public synchronized void clear() {
    faults.clear();
  }

  /** The fault for this request, counting it down; null when none applies. */
  public synchronized @Nullable Fault take(String method, String path) {
    for (int i = 0; i < faults.size(); i++) {
      Fault fault = faults.get(i);
      if ((fault.method() == null || fault.method().equalsIgnoreCase(method))
          && path.startsWith(fault.pathPrefix())) {
        if (fault.remaining() <= 1) {
          faults.remove(i);
        } else {
          faults.set(
              i,
              new Fault(
                  fault.method(),
                  fault.pathPrefix(),
                  fault.remaining() - 1,
                  fault.status(),
                  fault.body(),
                  fault.delay()));
        }
        return fault;
      }
    }
    return null;
  }
}
