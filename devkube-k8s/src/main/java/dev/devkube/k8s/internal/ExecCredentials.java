package dev.devkube.k8s.internal;

import dev.devkube.DevkubeException;
import dev.devkube.k8s.KubeObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A kubeconfig exec credential plugin (e.g. {@code doctl kubernetes cluster kubeconfig
 * exec-credential}): runs the command, reads the ExecCredential it prints, keeps the token until
 * its expiry, and runs the command again after a 401.
 */
public final class ExecCredentials implements TokenSource {
  private static final Duration TIMEOUT = Duration.ofMinutes(1);

  /**
   * The {@code exec} section of a kubeconfig user.
   *
   * @param apiVersion the ExecCredential apiVersion the plugin speaks
   * @param command the program; a relative path with a '/' is relative to the kubeconfig's folder
   * @param args its arguments
   * @param env extra environment variables
   * @param directory the kubeconfig's folder
   */
  public record Config(
      String apiVersion,
      String command,
      List<String> args,
      Map<String, String> env,
      @Nullable Path directory) {}

  /**
   * What one run printed.
   *
   * @param token the bearer token, if any
   * @param clientCertificate a client certificate PEM, if any
   * @param clientKey its key PEM, if any
   * @param expiresAt when to run again, or null to keep it until a 401
   */
  public record Credential(
      @Nullable String token,
      @Nullable String clientCertificate,
      @Nullable String clientKey,
      @Nullable Instant expiresAt) {}

  private final Config config;
  private final Clock clock;
  private @Nullable Credential current;

  public ExecCredentials(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** The credential, running the plugin if there is none or it has expired. */
  public synchronized Credential credential() {
    Credential known = current;
    if (known == null
        || (known.expiresAt() != null
            && !clock.instant().plusSeconds(30).isBefore(known.expiresAt()))) {
      known = run();
      current = known;
    }
    return known;
  }

  @Override
  public @Nullable String token() {
    return credential().token();
  }

  @Override
  public synchronized boolean refreshAfterUnauthorized() {
    current = run();
    return current.token() != null;
  }

  private Credential run() {
    List<String> command = new ArrayList<>();
    String program = config.command();
    if (program.contains("/") && !Path.of(program).isAbsolute() && config.directory() != null) {
      program = config.directory().resolve(program).toString();
    }
    command.add(program);
    command.addAll(config.args());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.environment().putAll(config.env());
    builder
        .environment()
        .put(
            "KUBERNETES_EXEC_INFO",
            "{\"apiVersion\":\""
                + config.apiVersion()
                + "\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false}}");
    String name = config.command();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new DevkubeException(
          "could not run the kubeconfig exec plugin "
              + name
              + ": "
              + e.getMessage()
              + " (is it installed and on the PATH?)",
          e);
    }
    try {
      process.getOutputStream().close();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new DevkubeException(
            "the kubeconfig exec plugin "
                + name
                + " did not finish within "
                + TIMEOUT.toSeconds()
                + " s",
            null);
      }
      if (process.exitValue() != 0) {
        throw new DevkubeException(
            "the kubeconfig exec plugin "
                + name
                + " failed with exit code "
                + process.exitValue()
                + ": "
                + err.get().strip(),
            null);
      }
      return parse(out.get(), name);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new DevkubeException("interrupted while running the exec plugin " + name, e);
    } catch (IOException | ExecutionException e) {
      throw new DevkubeException(
          "could not read the output of the exec plugin " + name + ": " + e, e);
    }
  }

  static Credential parse(String output, String name) {
    KubeObject credential;
    try {
      credential = KubeObject.parse(output);
    } catch (IllegalArgumentException e) {
      throw new DevkubeException(
          "the exec plugin " + name + " printed no ExecCredential JSON: " + e.getMessage(), e);
    }
    String token = credential.getString("status.token");
    String certificate = credential.getString("status.clientCertificateData");
    String key = credential.getString("status.clientKeyData");
    if (token == null && (certificate == null || key == null)) {
      throw new DevkubeException(
          "the exec plugin "
              + name
              + " printed an ExecCredential with"
              + " neither status.token nor status.clientCertificateData and clientKeyData",
          null);
    }
    String expiry = credential.getString("status.expirationTimestamp");
    Instant expiresAt = expiry == null ? null : OffsetDateTime.parse(expiry).toInstant();
    return new Credential(token, certificate, key, expiresAt);
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
          } catch (IOException e) {
            return "";
          }
        });
  }

  static Map<String, String> env(List<Object> entries) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Object entry : entries) {
      Map<?, ?> pair = (Map<?, ?>) entry;
      env.put(String.valueOf(pair.get("name")), String.valueOf(pair.get("value")));
    }
    return env;
  }

  @Override
  public String toString() {
    return "ExecCredentials[" + config.command() + "]";
  }
}
