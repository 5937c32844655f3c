package dev.devkube.digitalocean.internal;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each request to the SLF4J logger {@code dev.devkube.digitalocean.http}: method, URL, status,
 * time and request id at DEBUG; headers at TRACE with {@code Authorization} redacted. Bodies are
 * never logged: they may hold credentials.
 */
final class LoggingInterceptor implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger("dev.devkube.digitalocean.http");

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!log.isDebugEnabled()) {
      return chain.proceed(request);
    }
    log.debug("--> {} {}", request.method(), request.url());
    if (log.isTraceEnabled()) {
      log.trace("--> headers: {}", redact(request.headers()));
    }
    long start = System.nanoTime();
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException e) {
      log.debug("<-- failed {} {}: {}", request.method(), request.url(), e.toString());
      throw e;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    log.debug(
        "<-- {} {} {} ({} ms, request id {})",
        response.code(),
        request.method(),
        request.url(),
        millis,
        response.header("x-request-id", "none"));
    return response;
  }

  /** The headers on one line, with any credential replaced by {@code ██}. */
  static String redact(Headers headers) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      boolean secret =
          name.equalsIgnoreCase("Authorization")
              || name.equalsIgnoreCase("Cookie")
              || name.equalsIgnoreCase("Proxy-Authorization");
      line.append(i == 0 ? "" : ", ")
          .append(name)
          .append(": ")
          .append(secret ? "██" : headers.value(i));
    }
    return line.toString();
  }
}
