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

  /** Whether every part exists and is ready. */
  public boolean isReady() {
    return parts.stream().allMatch(p -> p.exists() && p.ready());
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
