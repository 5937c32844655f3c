package dev.devkube.recipes;

import java.util.Objects;

/**
 * A deployed database or cache, reachable inside the cluster only.
 *
 * @param name the Service's name
 * @param host the Service's in-cluster DNS name, such as {@code postgres.default.svc.cluster.local}
 * @param port the port
 * @param connectionString the connection string without the password, such as {@code
 *     postgresql://dev@postgres.default.svc.cluster.local:5432/dev}
 * @param secretName the Secret with the credentials: {@code password}, and {@code url}, the
 *     connection string with the password, for an application's {@code secretKeyRef}
 */
public record DataService(
    String name, String host, int port, String connectionString, String secretName) {
  public DataService {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(secretName, "secretName");
  }
}
