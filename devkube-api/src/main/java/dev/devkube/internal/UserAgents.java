package dev.devkube.internal;

import org.jspecify.annotations.Nullable;

/** The User-Agent devkube's clients send: the caller's product first, then devkube and Java. */
public final class UserAgents {
  private UserAgents() {}

  /** E.g. {@code mytool/1.2 devkube/0.1.0 (Java 17.0.15)}; the version comes from the jar. */
  public static String of(@Nullable String product, Class<?> client) {
    String version = client.getPackage().getImplementationVersion();
    return (product == null ? "" : product + " ")
        + "devkube/"
        + (version == null ? "dev" : version)
        + " (Java "
        + System.getProperty("java.version")
        + ")";
  }
}
