package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.devkube.testkit.ApiRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The fake DigitalOcean API's HTTP side: a loopback server that records each request, checks the
 * token and the rate limit, and answers errors in DigitalOcean's envelope.
 */
public final class DoHttp implements AutoCloseable {
  /** Answers one authenticated request within the rate limit. */
  public interface Routes {
    void handle(HttpExchange exchange, String method, String path, String body) throws IOException;
  }

  private final DoSettings settings;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<ApiRequest> requests = new CopyOnWriteArrayList<>();
  private final Faults lostAnswers = new Faults();
  private @Nullable Routes routes;
  private long windowStart;
  private int usedInWindow;

  public DoHttp(DoSettings settings) throws IOException {
    this.settings = settings;
    Http.noDelay();
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "fake-digitalocean-http");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Starts answering with {@code routes}. */
  public void start(Routes routes) {
    this.routes = routes;
    server.start();
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  public List<ApiRequest> requests() {
    return List.copyOf(requests);
  }

  /** Handles the next {@code count} matching requests in full, then drops them unanswered. */
  public void loseAnswers(int count, @Nullable String method, String pathPrefix) {
    lostAnswers.add(new Faults.Fault(method, pathPrefix, count, 0, "", java.time.Duration.ZERO));
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String body = Http.body(exchange);
    requests.add(
        new ApiRequest(
            method,
            path,
            Objects.requireNonNullElse(exchange.getRequestURI().getRawQuery(), ""),
            String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")),
            body));
    try {
      // The rate-limit headers come with every answer, a 401 too.
      boolean withinLimit = withinRateLimit(exchange);
      if (!settings.tokens().contains(bearer(exchange))) {
        error(exchange, 401, "unauthorized", "Unable to authenticate you.");
        return;
      }
      if (!withinLimit) {
        error(exchange, 429, "too_many_requests", "API Rate limit exceeded.");
        return;
      }
      if (lostAnswers.take(method, path) != null) {
        try {
          Objects.requireNonNull(routes, "started")
              .handle(new SilentExchange(exchange), method, path, body);
        } catch (DoError e) {
          // the error answer is lost as well
        }
        exchange.close();
        return;
      }
      Objects.requireNonNull(routes, "started").handle(exchange, method, path, body);
    } catch (DoError e) {
      error(exchange, e.code(), e.id(), e.getMessage());
    } catch (RuntimeException e) {
      error(exchange, 500, "server_error", "Server Error: " + e);
    }
  }

  private static @Nullable String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
  }

  private synchronized boolean withinRateLimit(HttpExchange exchange) {
    long minute = settings.clock().instant().getEpochSecond() / 60;
    if (minute != windowStart) {
      windowStart = minute;
      usedInWindow = 0;
    }
    usedInWindow++;
    int limit = settings.ratePerMinute();
    int remaining = Math.max(0, limit - usedInWindow);
    exchange.getResponseHeaders().set("ratelimit-limit", String.valueOf(limit));
    exchange.getResponseHeaders().set("ratelimit-remaining", String.valueOf(remaining));
    exchange.getResponseHeaders().set("ratelimit-reset", String.valueOf((minute + 1) * 60));
    return usedInWindow <= limit;
  }

  private static void error(HttpExchange exchange, int code, String id, @Nullable String message)
      throws IOException {
    exchange.getResponseHeaders().set("x-request-id", UUID.randomUUID().toString());
    Http.json(
        exchange,
        code,
        Doc.obj("id", id, "message", message, "request_id", UUID.randomUUID().toString()));
  }

  /** A request body that must be a JSON object, else DigitalOcean's 400. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> parse(String body) {
    try {
      Object parsed = Doc.parse(body);
      if (parsed instanceof Map) {
        return (Map<String, @Nullable Object>) parsed;
      }
    } catch (IOException e) {
      // fall through
    }
    throw new DoError(400, "bad_request", "the request body is not a JSON object");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
