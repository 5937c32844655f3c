package dev.devkube.k8s.internal;

import dev.devkube.ClusterCredentials;
import dev.devkube.FileAccessException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Token sources that change over time: a provider's short-lived credentials, and token files. */
public final class RefreshingTokens {
  private RefreshingTokens() {}

  /**
   * Tokens from a provider's credentials (e.g. DigitalOcean's, valid 7 days): fetched again five
   * minutes before they expire, and once after a 401.
   */
  public static TokenSource fromCredentials(
      Supplier<ClusterCredentials> supplier, ClusterCredentials first, Clock clock) {
    return new TokenSource() {
      private ClusterCredentials current = first;

      @Override
      public synchronized @Nullable String token() {
        if (current.expiresWithin(Duration.ofMinutes(5), clock)) {
          current = Objects.requireNonNull(supplier.get(), "credentials supplier returned null");
        }
        return current.token();
      }

      @Override
      public synchronized boolean refreshAfterUnauthorized() {
        String before = current.token();
        current = Objects.requireNonNull(supplier.get(), "credentials supplier returned null");
        return current.token() != null && !current.token().equals(before);
      }

      @Override
      public String toString() {
        return "TokenSource[credentials of " + first.clusterName() + "]";
      }
    };
  }

  /**
   * A token read from a file (a service account token, a kubeconfig's tokenFile), read again every
   * minute and after a 401, since such files are rotated.
   */
  public static TokenSource fromFile(Path file, Clock clock) {
    return new TokenSource() {
      private @Nullable String token;
      private Instant readAt = Instant.MIN;

      @Override
      public synchronized @Nullable String token() {
        if (token == null || clock.instant().isAfter(readAt.plus(Duration.ofMinutes(1)))) {
          read();
        }
        return token;
      }

      @Override
      public synchronized boolean refreshAfterUnauthorized() {
        String before = token;
        read();
        return token != null && !token.equals(before);
      }

      private void read() {
        try {
          token = Files.readString(file, StandardCharsets.UTF_8).trim();
          readAt = clock.instant();
        } catch (IOException e) {
          throw new FileAccessException(
              "could not read the token file " + file + ": " + e.getMessage(), file, e);
        }
        if (token.isEmpty()) {
          throw new IllegalStateException("the token file " + file + " is empty");
        }
      }

      @Override
      public String toString() {
        return "TokenSource[file " + file + "]";
      }
    };
  }
}
