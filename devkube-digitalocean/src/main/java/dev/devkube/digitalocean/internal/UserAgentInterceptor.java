package dev.devkube.digitalocean.internal;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Names the client in every request: the caller's product first, then devkube and Java. */
final class UserAgentInterceptor implements Interceptor {
  private final String userAgent;

  UserAgentInterceptor(String userAgent) {
    this.userAgent = userAgent;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    return chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent).build());
  }
}
