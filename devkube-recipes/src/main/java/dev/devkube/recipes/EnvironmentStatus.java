package dev.devkube.recipes;

import java.util.List;

/**
 * What exists of an environment and what is ready.
 *
 * @param environment the environment's name
 * @param namespace its namespace
 * @param parts each object it is made of
 * @param accessIps the node addresses it is reached on
 */
public record EnvironmentStatus(
    String environment, String namespace, List<Part> parts, List<String> accessIps) {
  public EnvironmentStatus {
    parts = List.copyOf(parts);
    accessIps = List.copyOf(accessIps);
  }

  /** Whether the environment has parts and every one exists and is ready. */
  public boolean isReady() {
    return !parts.isEmpty() && parts.stream().allMatch(p -> p.exists() && p.ready());
  }

  /**
   * A small table for people: one line per object (kind, name, and ready, not ready or missing),
   * under a line naming the environment and where it is reached.
   */
  @Override
  public String toString() {
    StringBuilder table = new StringBuilder();
    table
        .append("environment ")
        .append(environment)
        .append(" in namespace ")
        .append(namespace)
        .append(": ")
        .append(parts.isEmpty() ? "nothing deployed" : isReady() ? "ready" : "not ready")
        .append(accessIps.isEmpty() ? "" : ", on " + String.join(", ", accessIps))
        .append('\n');
    int kindWidth = Math.max(4, parts.stream().mapToInt(p -> p.kind().length()).max().orElse(0));
    int nameWidth = Math.max(4, parts.stream().mapToInt(p -> p.name().length()).max().orElse(0));
    String row = "  %-" + kindWidth + "s  %-" + nameWidth + "s  %s%n";
    if (!parts.isEmpty()) {
      table.append(String.format(java.util.Locale.ROOT, row, "KIND", "NAME", "STATE"));
    }
    for (Part part : parts) {
      table.append(
          String.format(
              java.util.Locale.ROOT,
              row,
              part.kind(),
              part.name(),
              !part.exists() ? "missing" : part.ready() ? "ready" : "not ready"));
    }
    return table.toString();
  }

  /**
   * One object of the environment.
   *
   * @param kind its kind
   * @param name its name
   * @param exists whether it exists
   * @param ready whether it is ready (a Deployment available, a claim bound; others when they
   *     exist)
   */
  public record Part(String kind, String name, boolean exists, boolean ready) {}
}
