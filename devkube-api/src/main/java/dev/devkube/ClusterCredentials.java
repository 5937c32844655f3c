package dev.devkube;

import static dev.devkube.internal.Validation.requireNonBlank;

import dev.devkube.internal.SecureFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a Kubernetes client needs to reach a cluster: the API server's URL, the CA certificate that
 * signs its TLS certificate (or none, when the server's certificate is publicly trusted), and a
 * bearer token and/or a client certificate with its key. {@link #toString()} never shows a secret.
 *
 * <pre>{@code
 * ClusterCredentials credentials = cluster.credentials();
 * credentials.writeTo(Path.of(".devkube", cluster.name()));
 * // ca.pem, token (or cert.pem + key.pem), kubeconfig, cluster.env; files 0600, folder 0700
 * }</pre>
 *
 * @param clusterId the provider's id of the cluster
 * @param clusterName the cluster's name, used for the kubeconfig's cluster, user and context
 * @param server the API server's https URL
 * @param caCertificate the CA certificate(s), PEM, or null to trust the JVM's default authorities
 * @param clientCertificate the client certificate, PEM, or null when a token is used
 * @param clientKey the client certificate's private key, PEM, or null when a token is used
 * @param token the bearer token, or null when a client certificate is used
 * @param expiresAt when the token or certificate expires, or null when it does not
 */
public record ClusterCredentials(
    String clusterId,
    String clusterName,
    URI server,
    @Nullable String caCertificate,
    @Nullable String clientCertificate,
    @Nullable String clientKey,
    @Nullable String token,
    @Nullable Instant expiresAt) {

  private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]+");
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:/@%+=,-]+");

  public ClusterCredentials {
    requireNonBlank("cluster id", clusterId);
    requireNonBlank("cluster name", clusterName);
    Objects.requireNonNull(server, "server");
    if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
      throw new IllegalArgumentException(
          "server "
              + server
              + " is not an https URL: give the API server's address, such as https://203.0.113.7:6443");
    }
    if (caCertificate != null) {
      requirePem("CA certificate", caCertificate, "CERTIFICATE");
    }
    if ((clientCertificate == null) != (clientKey == null)) {
      throw new IllegalArgumentException(
          "a client certificate needs its key and a key needs its"
              + " certificate: give both or neither");
    }
    if (clientCertificate != null) {
      requirePem("client certificate", clientCertificate, "CERTIFICATE");
      requirePem("client key", Objects.requireNonNull(clientKey), "PRIVATE KEY");
    }
    if (token != null && !TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException(
          "the token is empty or contains spaces or control"
              + " characters: give the token alone, without \"Bearer \" or a line break");
    }
    if (token == null && clientCertificate == null) {
      throw new IllegalArgumentException(
          "credentials for cluster "
              + clusterName
              + " have neither a token nor a client certificate: give one of them");
    }
  }

  /** Credentials that authenticate with a bearer token, valid until {@code expiresAt}. */
  public static ClusterCredentials ofToken(
      String clusterId,
      String clusterName,
      URI server,
      @Nullable String caCertificate,
      String token,
      @Nullable Instant expiresAt) {
    return new ClusterCredentials(
        clusterId,
        clusterName,
        server,
        caCertificate,
        null,
        null,
        Objects.requireNonNull(token, "token"),
        expiresAt);
  }

  /** Credentials that authenticate with a client certificate and its private key. */
  public static ClusterCredentials ofClientCertificate(
      String clusterId,
      String clusterName,
      URI server,
      @Nullable String caCertificate,
      String clientCertificate,
      String clientKey) {
    return new ClusterCredentials(
        clusterId,
        clusterName,
        server,
        caCertificate,
        Objects.requireNonNull(clientCertificate, "clientCertificate"),
        Objects.requireNonNull(clientKey, "clientKey"),
        null,
        null);
  }

  /** Whether these credentials have expired at {@code clock}'s now. */
  public boolean isExpired(Clock clock) {
    return expiresWithin(Duration.ZERO, clock);
  }

  /** Whether these credentials expire within {@code margin} of {@code clock}'s now. */
  public boolean expiresWithin(Duration margin, Clock clock) {
    return expiresAt != null && !clock.instant().plus(margin).isBefore(expiresAt);
  }

  /**
   * A self-contained kubeconfig (certificates inline) with one cluster, user and context, all named
   * after the cluster, and that context current.
   */
  public String kubeconfig() {
    StringBuilder yaml =
        new StringBuilder()
            .append("apiVersion: v1\n")
            .append("kind: Config\n")
            .append("clusters:\n")
            .append("- name: ")
            .append(yamlString(clusterName))
            .append('\n')
            .append("  cluster:\n")
            .append("    server: ")
            .append(yamlString(server.toString()))
            .append('\n');
    if (caCertificate != null) {
      yaml.append("    certificate-authority-data: ").append(base64(caCertificate)).append('\n');
    }
    yaml.append("users:\n")
        .append("- name: ")
        .append(yamlString(clusterName + "-admin"))
        .append('\n')
        .append("  user:\n");
    if (clientCertificate != null && clientKey != null) {
      yaml.append("    client-certificate-data: ")
          .append(base64(clientCertificate))
          .append('\n')
          .append("    client-key-data: ")
          .append(base64(clientKey))
          .append('\n');
    }
    if (token != null) {
      yaml.append("    token: ").append(yamlString(token)).append('\n');
    }
    return yaml.append("contexts:\n")
        .append("- name: ")
        .append(yamlString(clusterName))
        .append('\n')
        .append("  context:\n")
        .append("    cluster: ")
        .append(yamlString(clusterName))
        .append('\n')
        .append("    user: ")
        .append(yamlString(clusterName + "-admin"))
        .append('\n')
        .append("current-context: ")
        .append(yamlString(clusterName))
        .append('\n')
        .append("preferences: {}\n")
        .toString();
  }

  /**
   * Writes these credentials into {@code dir}, creating it (0700) if missing, and making it 0700 if
   * it exists with wider permissions: {@code ca.pem} (when there is a CA); {@code cert.pem} and
   * {@code key.pem} for a client certificate, {@code token} for a token (and removes the files of
   * the other kind left by an earlier write); {@code kubeconfig}, ready for {@code kubectl
   * --kubeconfig}; and {@code cluster.env}, to {@code source} in a shell ({@code DO_CLUSTER_ID},
   * {@code DO_CLUSTER_URL}). Every file is 0600 and replaced atomically.
   *
   * @return the files written, in that order
   * @throws FileAccessException when a file cannot be written
   */
  public List<Path> writeTo(Path dir) {
    List<Path> written = new ArrayList<>();
    try {
      SecureFiles.createPrivateDirectory(dir);
      if (caCertificate != null) {
        write(dir.resolve("ca.pem"), caCertificate, written);
      } else {
        Files.deleteIfExists(dir.resolve("ca.pem"));
      }
      if (clientCertificate != null && clientKey != null) {
        write(dir.resolve("cert.pem"), clientCertificate, written);
        write(dir.resolve("key.pem"), clientKey, written);
      } else {
        Files.deleteIfExists(dir.resolve("cert.pem"));
        Files.deleteIfExists(dir.resolve("key.pem"));
      }
      if (token != null) {
        write(dir.resolve("token"), token + "\n", written);
      } else {
        Files.deleteIfExists(dir.resolve("token"));
      }
      write(dir.resolve("kubeconfig"), kubeconfig(), written);
      write(
          dir.resolve("cluster.env"),
          "export DO_CLUSTER_ID="
              + shellWord(clusterId)
              + "\n"
              + "export DO_CLUSTER_URL="
              + shellWord(server.toString())
              + "\n",
          written);
    } catch (IOException e) {
      throw new FileAccessException(
          "could not write the credentials of cluster "
              + clusterName
              + " to "
              + dir
              + ": "
              + e.getMessage(),
          dir,
          e);
    }
    return List.copyOf(written);
  }

  private static void write(Path file, String content, List<Path> written) throws IOException {
    SecureFiles.writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
    written.add(file);
  }

  /** Shows the cluster, server, kind of authentication and expiry; never a secret. */
  @Override
  public String toString() {
    String auth =
        clientCertificate != null && token != null
            ? "client certificate and token"
            : clientCertificate != null ? "client certificate" : "token";
    return "ClusterCredentials[cluster="
        + clusterName
        + " ("
        + clusterId
        + "), server="
        + server
        + ", auth="
        + auth
        + (expiresAt != null ? ", expiresAt=" + expiresAt : "")
        + "]";
  }

  private static void requirePem(String what, @Nullable String pem, String label) {
    if (pem == null || !pem.contains("-----BEGIN ") || !pem.contains(label + "-----")) {
      // A key's label may be "RSA PRIVATE KEY", "EC PRIVATE KEY" or "PRIVATE KEY".
      String shown = label.endsWith("KEY") ? "... " + label : label;
      throw new IllegalArgumentException(
          what
              + " is not PEM: expected a block starting with"
              + " \"-----BEGIN "
              + shown
              + "-----\"");
    }
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
  }

  /** A YAML double-quoted scalar, escaped like JSON, which YAML accepts. */
  private static String yamlString(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** The value as one shell word: as it is when plainly safe, else single-quoted. */
  private static String shellWord(String value) {
    return SHELL_SAFE.matcher(value).matches() ? value : "'" + value.replace("'", "'\\''") + "'";
  }
}
