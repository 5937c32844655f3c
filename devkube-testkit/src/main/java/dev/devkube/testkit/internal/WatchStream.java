package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One {@code ?watch=true} response: JSON lines, one event each, as they happen; bookmarks when
 * asked for; an ERROR event with 410 when the version is too old or the test expires watches; the
 * stream ends at {@code timeoutSeconds} (at most five minutes).
 */
final class WatchStream {
  /** How often an idle stream looks whether its client is still there. */
  private static final long LIVENESS_CHECK = TimeUnit.SECONDS.toNanos(1);

  private final Store store;
  private final Kinds.Kind kind;
  private final @Nullable String namespace;
  private final Predicate<Map<String, @Nullable Object>> filter;
  private final Map<String, String> query;
  private final Duration bookmarkInterval;
  private final @Nullable Function<Map<String, @Nullable Object>, Map<String, @Nullable Object>>
      view;

  /**
   * A watch; {@code view}, when given, is what each event carries instead of the object (a Table
   * row for {@code kubectl get --watch}).
   */
  WatchStream(
      Store store,
      Kinds.Kind kind,
      @Nullable String namespace,
      Predicate<Map<String, @Nullable Object>> filter,
      Map<String, String> query,
      Duration bookmarkInterval,
      @Nullable Function<Map<String, @Nullable Object>, Map<String, @Nullable Object>> view) {
    this.store = store;
    this.view = view;
    this.kind = kind;
    this.namespace = namespace;
    this.filter = filter;
    this.query = query;
    this.bookmarkInterval = bookmarkInterval;
  }

  void serve(HttpExchange exchange) throws IOException {
    // Subscribe before the client can see the watch open: a change it makes as soon as the
    // headers arrive must reach this stream.
    Store.Subscription subscription = null;
    Status refused = null;
    try {
      subscription = store.subscribe(kind, namespace, query.get("resourceVersion"));
    } catch (Status status) {
      refused = status;
    }
    try {
      stream(exchange, subscription, refused);
    } finally {
      if (subscription != null) {
        store.unsubscribe(subscription);
      }
    }
  }

  private void stream(
      HttpExchange exchange, Store.@Nullable Subscription subscription, @Nullable Status refused)
      throws IOException {
    long timeout;
    try {
      timeout =
          Math.min(
              300,
              query.containsKey("timeoutSeconds")
                  ? Long.parseLong(query.get("timeoutSeconds"))
                  : 300);
    } catch (NumberFormatException e) {
      throw Status.badRequest("invalid timeoutSeconds \"" + query.get("timeoutSeconds") + "\"");
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Audit-Id", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(200, 0);
    boolean bookmarks = KubeApi.bool(query, "allowWatchBookmarks");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
    try (OutputStream out = exchange.getResponseBody()) {
      // Send the headers now, as an API server does; some JDKs hold them until the first write.
      out.flush();
      if (subscription == null) {
        write(out, "ERROR", Objects.requireNonNull(refused).body());
        return;
      }
      long nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
      while (System.nanoTime() < deadline) {
        // Sleep until the next change, the deadline or, for a client that asked for bookmarks,
        // the next bookmark; never less than a millisecond, so an idle watch costs no CPU.
        long wait = Math.min(deadline - System.nanoTime(), LIVENESS_CHECK);
        if (bookmarks) {
          wait = Math.min(wait, nextBookmark - System.nanoTime());
        }
        Store.Change change =
            subscription
                .queue()
                .poll(Math.max(TimeUnit.MILLISECONDS.toNanos(1), wait), TimeUnit.NANOSECONDS);
        if (change == null) {
          if (Http1Server.clientGone(exchange)) {
            return; // the client went away: the thread and the subscription go too
          }
          long version = bookmarks ? store.bookmarkVersion(subscription) : -1;
          if (version >= 0 && System.nanoTime() >= nextBookmark) {
            write(
                out,
                "BOOKMARK",
                Doc.obj(
                    "kind",
                    kind.kind(),
                    "apiVersion",
                    kind.groupVersion(),
                    "metadata",
                    Doc.obj("resourceVersion", String.valueOf(version))));
            nextBookmark = System.nanoTime() + bookmarkInterval.toNanos();
          }
          continue;
        }
        if (change.type().equals("CLOSE")) {
          return;
        }
        if (change.type().equals("EXPIRE")) {
          write(
              out,
              "ERROR",
              Status.gone(
                      "too old resource version: "
                          + query.get("resourceVersion")
                          + " ("
                          + store.resourceVersion()
                          + ")")
                  .body());
          return;
        }
        if (filter.test(change.object())) {
          write(out, change.type(), view == null ? change.object() : view.apply(change.object()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the client went away
    } finally {
      exchange.close();
    }
  }

  private static void write(OutputStream out, String type, Map<String, @Nullable Object> object)
      throws IOException {
    out.write(
        (Doc.write(Doc.obj("type", type, "object", object)) + "\n")
            .getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
