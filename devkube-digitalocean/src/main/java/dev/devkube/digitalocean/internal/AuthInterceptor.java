package dev.devkube.digitalocean.internal;

import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Adds the bearer token, but only to requests for the API's own host and port, so that a page link
 * pointing anywhere else never carries it.
 */
final class AuthInterceptor implements Interceptor {
  private final String authorization;
  private final HttpUrl base;

  AuthInterceptor(String token, HttpUrl base) {
    this.authorization = "Bearer " + token;
    this.base = base;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    HttpUrl url = chain.request().url();
    if (!url.scheme().equals(base.scheme())
        || !url.host().equals(base.host())
        || url.port() != base.port()) {
      return chain.proceed(chain.request());
    }
    return chain.proceed(
        chain.request().newBuilder().header("Authorization", authorization).build());
  }

  @Override
  public String toString() {
    return "AuthInterceptor[" + base.host() + "]";
  }
}
