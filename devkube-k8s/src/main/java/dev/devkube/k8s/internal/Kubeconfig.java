package dev.devkube.k8s.internal;

import dev.devkube.FileAccessException;
import dev.devkube.k8s.KubeObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One or more kubeconfig files merged as kubectl merges them (the first file to define a cluster,
 * user or context by name, or the current context, wins), read into what a connection needs. File
 * paths inside a file are relative to that file's folder.
 */
public final class Kubeconfig {
  private final Map<String, Entry> clusters = new LinkedHashMap<>();
  private final Map<String, Entry> users = new LinkedHashMap<>();
  private final Map<String, Entry> contexts = new LinkedHashMap<>();
  private @Nullable String currentContext;
  private final List<Path> files;

  /** A named section and the folder of the file it came from. */
  private record Entry(KubeObject body, Path directory) {}

  /**
   * What one context says.
   *
   * @param context the context's name
   * @param server the API server URL
   * @param caPem the CA certificates, PEM, or null for the JVM's authorities
   * @param caSource where the CA came from, for messages
   * @param certificatePem the client certificate, PEM, or null
   * @param keyPem its private key, PEM, or null
   * @param keySource where the key came from, for messages
   * @param token a bearer token, or null
   * @param tokenFile a file holding the token, or null
   * @param exec an exec credential plugin, or null
   * @param insecureSkipTlsVerify whether the kubeconfig turns TLS verification off
   * @param tlsServerName the name to verify the server certificate against, or null
   * @param namespace the context's namespace, or null
   */
  public record Connection(
      String context,
      String server,
      @Nullable String caPem,
      String caSource,
      @Nullable String certificatePem,
      @Nullable String keyPem,
      String keySource,
      @Nullable String token,
      @Nullable Path tokenFile,
      ExecCredentials.@Nullable Config exec,
      boolean insecureSkipTlsVerify,
      @Nullable String tlsServerName,
      @Nullable String namespace) {}

  private Kubeconfig(List<Path> files) {
    this.files = List.copyOf(files);
  }

  /**
   * Reads and merges {@code files}; missing ones are skipped, as kubectl does.
   *
   * @throws IllegalArgumentException when none exists or one is not a kubeconfig
   */
  public static Kubeconfig load(List<Path> files) {
    Kubeconfig config = new Kubeconfig(files);
    boolean any = false;
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        continue;
      }
      any = true;
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new FileAccessException(
            "could not read kubeconfig " + file + ": " + e.getMessage(), file, e);
      }
      List<KubeObject> documents;
      try {
        documents = KubeObject.parseYaml(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "kubeconfig " + file + " is not valid YAML: " + e.getMessage(), e);
      }
      if (documents.isEmpty()) {
        continue;
      }
      // Relative paths in a kubeconfig are relative to its folder (a file always has one).
      config.merge(documents.get(0), Objects.requireNonNull(file.toAbsolutePath().getParent()));
    }
    if (!any) {
      throw new IllegalArgumentException(
          "no kubeconfig found at " + files + ": set KUBECONFIG, or create ~/.kube/config");
    }
    return config;
  }

  private void merge(KubeObject file, Path directory) {
    section(file, "clusters", "cluster", clusters, directory);
    section(file, "users", "user", users, directory);
    section(file, "contexts", "context", contexts, directory);
    String current = file.getString("current-context");
    if (currentContext == null && current != null && !current.isEmpty()) {
      currentContext = current;
    }
  }

  private static void section(
      KubeObject file, String list, String field, Map<String, Entry> into, Path directory) {
    for (Object item : file.getList(list)) {
      if (item instanceof Map) {
        KubeObject entry = KubeObject.from((Map<?, ?>) item);
        String name = entry.getString("name");
        Object body = entry.get(field);
        if (name != null && body instanceof Map && !into.containsKey(name)) {
          into.put(name, new Entry(KubeObject.from((Map<?, ?>) body), directory));
        }
      }
    }
  }

  /** The context names, in file order. */
  public List<String> contexts() {
    return new ArrayList<>(contexts.keySet());
  }

  public @Nullable String currentContext() {
    return currentContext;
  }

  /**
   * The connection of {@code context}, or of the current context when null.
   *
   * @throws IllegalArgumentException naming what is missing
   */
  public Connection connection(@Nullable String context) {
    String name = context != null ? context : currentContext;
    if (name == null) {
      throw new IllegalArgumentException(
          "kubeconfig "
              + files
              + " has no current-context: name a"
              + " context ("
              + String.join(", ", contexts.keySet())
              + ")");
    }
    Entry ctx = contexts.get(name);
    if (ctx == null) {
      throw new IllegalArgumentException(
          "kubeconfig "
              + files
              + " has no context \""
              + name
              + "\": it has "
              + (contexts.isEmpty() ? "none" : String.join(", ", contexts.keySet())));
    }
    String clusterName = ctx.body().getString("cluster");
    Entry cluster = clusterName == null ? null : clusters.get(clusterName);
    if (cluster == null) {
      throw new IllegalArgumentException(
          "context \""
              + name
              + "\" names cluster \""
              + clusterName
              + "\", which the kubeconfig does not define");
    }
    String userName = ctx.body().getString("user");
    Entry user = userName == null ? null : users.get(userName);
    if (userName != null && user == null) {
      throw new IllegalArgumentException(
          "context \""
              + name
              + "\" names user \""
              + userName
              + "\", which the kubeconfig does not define");
    }
    KubeObject c = cluster.body();
    String server = c.getString("server");
    if (server == null) {
      throw new IllegalArgumentException("cluster \"" + clusterName + "\" has no server");
    }
    String caSource = "cluster \"" + clusterName + "\" certificate-authority";
    String ca = data(c, "certificate-authority", cluster.directory(), caSource);
    KubeObject u = user == null ? KubeObject.from(Map.of()) : user.body();
    Path userDir = user == null ? cluster.directory() : user.directory();
    String keySource = "user \"" + userName + "\" client-key";
    String certificate =
        data(u, "client-certificate", userDir, "user \"" + userName + "\" client-certificate");
    String key = data(u, "client-key", userDir, keySource);
    String tokenFile = u.getString("tokenFile");
    ExecCredentials.Config exec = null;
    if (u.get("exec") instanceof Map) {
      String command = u.getString("exec.command");
      if (command == null) {
        throw new IllegalArgumentException(
            "user \"" + userName + "\" has an exec section without a command");
      }
      List<String> args = new ArrayList<>();
      u.getList("exec.args").forEach(a -> args.add(String.valueOf(a)));
      String apiVersion = u.getString("exec.apiVersion");
      exec =
          new ExecCredentials.Config(
              apiVersion == null ? "client.authentication.k8s.io/v1" : apiVersion,
              command,
              args,
              ExecCredentials.env(u.getList("exec.env")),
              userDir);
    }
    return new Connection(
        name,
        server,
        ca,
        caSource,
        certificate,
        key,
        keySource,
        u.getString("token"),
        tokenFile == null ? null : userDir.resolve(tokenFile),
        exec,
        "true".equals(c.getString("insecure-skip-tls-verify")),
        c.getString("tls-server-name"),
        ctx.body().getString("namespace"));
  }

  /** {@code <field>-data} (base64) or {@code <field>} (a file path), as text; null when absent. */
  private static @Nullable String data(
      KubeObject section, String field, Path directory, String source) {
    String inline = section.getString(field + "-data");
    if (inline != null) {
      try {
        return new String(Base64.getMimeDecoder().decode(inline), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + "-data is not valid base64", e);
      }
    }
    String file = section.getString(field);
    if (file == null) {
      return null;
    }
    Path path = directory.resolve(file);
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          source + " file " + path + " could not be read: " + e.getMessage(), e);
    }
  }
}
