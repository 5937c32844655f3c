package dev.devkube.recipes;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How to reach a deployed browser IDE: its URL and where its password is. The password itself is
 * only here on the deploy that generated or set it; {@link #toString()} never shows it.
 */
public final class IdeAccess {
  private final String url;
  private final @Nullable String secretName;
  private final @Nullable String password;
  private final String namespace;

  IdeAccess(String url, String namespace, @Nullable String secretName, @Nullable String password) {
    this.url = url;
    this.namespace = namespace;
    this.secretName = secretName;
    this.password = password;
  }

  /**
   * {@code http://203.0.113.7:30030}, or {@code http://localhost:3000} when reached through the ssh
   * tunnel.
   */
  public String url() {
    return url;
  }

  /** Whether the IDE asks for a password: code-server always does. */
  public boolean authenticated() {
    return secretName != null;
  }

  /**
   * The Secret holding the password under the key {@code password}; empty for an IDE without one.
   */
  public Optional<String> passwordSecret() {
    return Optional.ofNullable(secretName);
  }

  /**
   * The password, on the deploy that generated or set it; empty on later deploys (the Secret keeps
   * it: see {@link #passwordCommand()}).
   */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The command that prints the password from the Secret, or empty for an IDE without one. */
  public Optional<String> passwordCommand() {
    return secretName == null
        ? Optional.empty()
        : Optional.of(
            "kubectl -n "
                + namespace
                + " get secret "
                + secretName
                + " -o jsonpath='{.data.password}' | base64 -d");
  }

  @Override
  public String toString() {
    return "IdeAccess["
        + url
        + (secretName == null ? ", no password" : ", password in Secret " + secretName)
        + "]";
  }
}
