package dev.devkube.digitalocean.internal;

import dev.devkube.Backoff;
import dev.devkube.Waiter;
import dev.devkube.internal.RetrySleep;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries what is safe to retry, a bounded number of times: a 429 (the server did not act on the
 * request) after the time it asks for; 500, 502, 503 and 504 and dropped connections only for
 * idempotent methods, with jittered backoff; a connection that was never made, for any method. A
 * POST that may have reached the server is never repeated here: the caller decides.
 */
final class RetryInterceptor implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(RetryInterceptor.class);
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS");
  private static final Set<Integer> TRANSIENT = Set.of(500, 502, 503, 504);

  private final int maxRetries;
  private final Backoff backoff;
  private final Duration longestWait;
  private final Waiter.Clock sleeper;
  private final Clock clock;
  private final DoubleSupplier random;

  RetryInterceptor(
      int maxRetries,
      Backoff backoff,
      Duration longestWait,
      Waiter.Clock sleeper,
      Clock clock,
      DoubleSupplier random) {
    this.maxRetries = maxRetries;
    this.backoff = backoff;
    this.longestWait = longestWait;
    this.sleeper = sleeper;
    this.clock = clock;
    this.random = random;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    boolean idempotent = IDEMPOTENT.contains(request.method());
    // Whether an earlier attempt may have done what was asked (its answer lost, or a 5xx).
    boolean mayHaveActed = false;
    for (int attempt = 0; ; attempt++) {
      Response response;
      try {
        response = chain.proceed(request);
      } catch (IOException e) {
        // A malformed answer (ProtocolException) came from a server that acted: not transient.
        boolean safe =
            idempotent
                ? !(e instanceof SSLException || e instanceof ProtocolException)
                : neverSent(e);
        if (!safe || attempt >= maxRetries || chain.call().isCanceled()) {
          throw e;
        }
        mayHaveActed |= !neverSent(e);
        Duration delay = backoff.delay(attempt, random.getAsDouble());
        log.debug(
            "{} {} failed ({}); retry {} of {} in {}",
            request.method(),
            request.url(),
            e,
            attempt + 1,
            maxRetries,
            delay);
        RetrySleep.sleep(sleeper, delay);
        continue;
      }
      if (mayHaveActed && request.method().equals("DELETE") && response.code() == 404) {
        // The earlier attempt deleted it and its answer was lost: that is the success asked for.
        log.debug(
            "{} {} answered 404 after an attempt whose answer was lost: deleted by that attempt",
            request.method(),
            request.url());
        response.close();
        return response
            .newBuilder()
            .code(204)
            .message("No Content")
            .body(ResponseBody.create("", null))
            .build();
      }
      Duration delay = retryDelay(response, idempotent, attempt);
      if (delay == null) {
        return response;
      }
      mayHaveActed |= response.code() >= 500;
      log.debug(
          "{} {} answered {}; retry {} of {} in {}",
          request.method(),
          request.url(),
          response.code(),
          attempt + 1,
          maxRetries,
          delay);
      response.close();
      RetrySleep.sleep(sleeper, delay);
    }
  }

  /** How long to wait before retrying {@code response}, or null to return it as it is. */
  private @Nullable Duration retryDelay(Response response, boolean idempotent, int attempt) {
    int code = response.code();
    boolean retryable = code == 429 || (idempotent && TRANSIENT.contains(code));
    if (!retryable || attempt >= maxRetries) {
      return null;
    }
    Duration asked = RateLimits.retryAfter(response, clock);
    Duration delay = asked != null ? asked : backoff.delay(attempt, random.getAsDouble());
    // A wait longer than this is the caller's to decide on: the exception carries retryAfter().
    return delay.compareTo(longestWait) > 0 ? null : delay;
  }

  static boolean neverSent(IOException e) {
    return e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException;
  }
}
