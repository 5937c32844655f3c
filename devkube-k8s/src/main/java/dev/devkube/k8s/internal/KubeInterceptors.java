package dev.devkube.k8s.internal;

import dev.devkube.Backoff;
import dev.devkube.Waiter;
import dev.devkube.internal.RetrySleep;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Kubernetes client's HTTP plumbing: one interceptor per concern. */
final class KubeInterceptors {
  private static final Logger log = LoggerFactory.getLogger("dev.devkube.k8s.http");

  private KubeInterceptors() {}

  /** Sets the User-Agent header. */
  static Interceptor userAgent(String userAgent) {
    return chain ->
        chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent).build());
  }

  /** Adds the bearer token; after a 401, asks the source for a new token and tries once more. */
  static final class BearerAuth implements Interceptor {
    private final TokenSource tokens;

    BearerAuth(TokenSource tokens) {
      this.tokens = tokens;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      Response response = chain.proceed(withToken(chain.request(), tokens.token()));
      if (response.code() != 401 || !tokens.refreshAfterUnauthorized()) {
        return response;
      }
      log.debug("401 from {}: retrying once with a refreshed token", chain.request().url());
      response.close();
      return chain.proceed(withToken(chain.request(), tokens.token()));
    }

    private static Request withToken(Request request, @Nullable String token) {
      return token == null
          ? request
          : request.newBuilder().header("Authorization", "Bearer " + token).build();
    }
  }

  /**
   * Retries as client-go does: a 429 or 5xx only when the server sent Retry-After (it did not act
   * on the request), any method; a failed connection only for idempotent requests (GET, HEAD, PUT,
   * DELETE and server-side apply). POST, merge and JSON patches are never repeated after they may
   * have reached the server.
   */
  static final class Retry implements Interceptor {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE");
    static final MediaType APPLY = MediaType.get("application/apply-patch+yaml");

    private final int maxRetries;
    private final Backoff backoff;
    private final Duration longestWait;
    private final Waiter.Clock clock;
    private final DoubleSupplier random;
    private final Function<Call, @Nullable Attempts> attempts;

    /**
     * @param attempts the record of a call's attempts, looked up by the call (not carried as a
     *     request tag: OkHttp's typed tags load Kotlin's reflection, tens of classes, on the first
     *     request)
     */
    Retry(
        int maxRetries,
        Backoff backoff,
        Duration longestWait,
        Waiter.Clock clock,
        DoubleSupplier random,
        Function<Call, @Nullable Attempts> attempts) {
      this.maxRetries = maxRetries;
      this.backoff = backoff;
      this.longestWait = longestWait;
      this.clock = clock;
      this.random = random;
      this.attempts = attempts;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      for (int attempt = 0; ; attempt++) {
        Response response;
        try {
          response = chain.proceed(request);
        } catch (IOException e) {
          if (!idempotent(request)
              || e instanceof SSLException
              || attempt >= maxRetries
              || chain.call().isCanceled()) {
            throw e;
          }
          Attempts record = attempts.apply(chain.call());
          if (record != null && !KubeHttp.neverSent(e)) {
            record.lostAnAnswer();
          }
          RetrySleep.sleep(clock, backoff.delay(attempt, random.getAsDouble()));
          continue;
        }
        int code = response.code();
        Duration wait = retryAfter(response);
        if (wait == null
            || !(code == 429 || code >= 500)
            || attempt >= maxRetries
            || wait.compareTo(longestWait) > 0) {
          return response;
        }
        log.debug(
            "{} {} answered {} with Retry-After {}: retry {} of {}",
            request.method(),
            request.url(),
            code,
            wait,
            attempt + 1,
            maxRetries);
        response.close();
        RetrySleep.sleep(clock, wait);
      }
    }

    static boolean idempotent(Request request) {
      RequestBody body = request.body();
      MediaType type = body == null ? null : body.contentType();
      // Compare type and subtype only: OkHttp appends "; charset=utf-8" to text bodies.
      return IDEMPOTENT.contains(request.method())
          || ("PATCH".equals(request.method())
              && type != null
              && type.type().equals(APPLY.type())
              && type.subtype().equals(APPLY.subtype()));
    }

    static @Nullable Duration retryAfter(Response response) {
      String value = response.header("Retry-After");
      if (value == null) {
        return null;
      }
      try {
        return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  /** Logs each distinct server warning (the Warning header) once, at WARN. */
  static final class Warnings implements Interceptor {
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    @Override
    public Response intercept(Chain chain) throws IOException {
      Response response = chain.proceed(chain.request());
      for (String warning : response.headers("Warning")) {
        String text = text(warning);
        if (seen.add(text)) {
          log.warn("the API server warns: {}", text);
        }
      }
      return response;
    }

    /** The text of {@code 299 - "message"}, or the header as it is. */
    static String text(String header) {
      int quote = header.indexOf('"');
      int end = header.lastIndexOf('"');
      return quote >= 0 && end > quote
          ? header.substring(quote + 1, end).replace("\\\"", "\"")
          : header;
    }

    Set<String> seen() {
      return seen;
    }
  }

  /** Logs method, URL, status and time at DEBUG; never headers or bodies. */
  static Interceptor logging() {
    return chain -> {
      Request request = chain.request();
      if (!log.isDebugEnabled()) {
        return chain.proceed(request);
      }
      long start = System.nanoTime();
      Response response = chain.proceed(request);
      log.debug(
          "{} {} -> {} ({} ms)",
          request.method(),
          request.url(),
          response.code(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      return response;
    };
  }
}
