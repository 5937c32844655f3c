package dev.devkube.k8s.internal;

import org.jspecify.annotations.Nullable;

/** Where a bearer token comes from: fixed, a file, an exec plugin, or a provider's credentials. */
public interface TokenSource {
  /** The token to send now, refreshed first if it is about to expire; null to send none. */
  @Nullable String token();

  /**
   * Called once after the server answered 401: obtains a new token if this source can.
   *
   * @return whether a new token was obtained, so the request is worth sending again
   */
  boolean refreshAfterUnauthorized();

  /** A token that never changes. */
  static TokenSource fixed(@Nullable String token) {
    return new TokenSource() {
      @Override
      public @Nullable String token() {
        return token;
      }

      @Override
      public boolean refreshAfterUnauthorized() {
        return false;
      }

      @Override
      public String toString() {
        return "TokenSource[fixed]";
      }
    };
  }
}
