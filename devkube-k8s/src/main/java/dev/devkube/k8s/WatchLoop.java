package dev.devkube.k8s;

import dev.devkube.ApiError;
import dev.devkube.ApiException;
import dev.devkube.AuthenticationException;
import dev.devkube.Backoff;
import dev.devkube.DevkubeException;
import dev.devkube.GoneException;
import dev.devkube.NotFoundException;
import dev.devkube.Waiter;
import dev.devkube.k8s.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Response;
import okio.BufferedSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread behind a {@link Watch}: lists (unless given a resource version), then streams {@code
 * ?watch=true} from the last resource version seen; reconnects after a dropped stream with backoff
 * that resets once a stream has lasted; re-lists on 410 Gone and delivers only what changed.
 * Remembers each object's resource version, so no change is delivered twice and no object it
 * already has is ADDED again.
 */
final class WatchLoop implements Watch, Runnable {
  private static final Logger log = LoggerFactory.getLogger(WatchLoop.class);
  private static final Duration STABLE = Duration.ofSeconds(30);
  private static final int SERVER_TIMEOUT_SECONDS = 290;

  private final KubeClient client;
  private final ResourceType type;
  private final @Nullable String namespace;
  private final @Nullable String labelSelector;
  private final @Nullable String fieldSelector;
  private final WatchListener listener;
  private final Backoff backoff;
  private final Waiter.Clock clock;
  private final Map<String, String> known = new HashMap<>();
  private final Thread thread;
  private @Nullable String resourceVersion;
  private volatile boolean closed;
  private volatile @Nullable Call call;
  private int eventsInStream;

  WatchLoop(
      KubeClient client,
      ResourceType type,
      @Nullable String namespace,
      @Nullable String labelSelector,
      @Nullable String fieldSelector,
      @Nullable String resourceVersion,
      WatchListener listener,
      Backoff backoff,
      Waiter.Clock clock) {
    this.client = client;
    this.type = type;
    this.namespace = namespace;
    this.labelSelector = labelSelector;
    this.fieldSelector = fieldSelector;
    this.resourceVersion = resourceVersion;
    this.listener = listener;
    this.backoff = backoff;
    this.clock = clock;
    this.thread =
        new Thread(
            this, "devkube-watch-" + type.plural() + (namespace == null ? "" : "-" + namespace));
    this.thread.setDaemon(true);
  }

  WatchLoop start() {
    thread.start();
    return this;
  }

  @Override
  public void run() {
    int failures = 0;
    int gone = 0;
    boolean listNext = resourceVersion == null;
    try {
      while (!closed) {
        long started = clock.nanoTime();
        try {
          // The list goes through the same back-off as the stream: a server that fails it once
          // (a 5xx, a dropped connection) is asked again, as client-go's reflector does.
          if (listNext) {
            relist();
            listNext = false;
          }
          eventsInStream = 0;
          stream();
          // The server ends a stream at its timeout: go on at once. One that ends at once,
          // again and again, is treated like a failure so as not to spin.
          if (clock.nanoTime() - started >= Duration.ofSeconds(1).toNanos() || eventsInStream > 0) {
            failures = 0;
            gone = 0;
            continue;
          }
          clock.sleep(
              backoff.delay(Math.min(failures++, 20), ThreadLocalRandom.current().nextDouble()));

        } catch (GoneException e) {
          log.debug("watch of {} expired at {}: listing again", type.plural(), resourceVersion);
          listNext = true;
          // One 410 is routine (the version aged out); 410 after 410 means a server or proxy
          // that refuses every watch: back off instead of listing hundreds of times a second.
          if (gone++ > 0) {
            clock.sleep(
                backoff.delay(Math.min(failures++, 20), ThreadLocalRandom.current().nextDouble()));
          }

        } catch (AuthenticationException | NotFoundException e) {
          throw e;
        } catch (ApiException e) {
          if (!e.isRetryable()
              && e.statusCode() >= 400
              && e.statusCode() < 500
              && e.statusCode() != 408) {
            // 400 and the like: the server (or a proxy before it) will refuse every retry too.
            throw ApiException.of(
                "the server refused to watch " + type.plural() + ": " + serverMessage(e),
                e.error());
          }
          failures = backOff(e, started, failures);
        } catch (DevkubeException e) {
          failures = backOff(e, started, failures);
        }
      }
    } catch (InterruptedException e) {
      // closed while waiting to reconnect
    } catch (DevkubeException e) {
      if (!closed) {
        listener.onError(e);
      }
    } finally {
      closed = true;
      listener.onClose();
    }
  }

  /** Sleeps before the next try after a failure; returns the new count of failures in a row. */
  private int backOff(DevkubeException e, long started, int failures) throws InterruptedException {
    if (closed) {
      return failures;
    }
    int inARow = clock.nanoTime() - started > STABLE.toNanos() ? 0 : failures;
    Duration delay = backoff.delay(Math.min(inARow, 20), ThreadLocalRandom.current().nextDouble());
    log.debug("watch of {} failed ({}); trying again in {}", type.plural(), e.getMessage(), delay);
    clock.sleep(delay);
    return inARow + 1;
  }

  private static String serverMessage(ApiException e) {
    String message = e.error().serverMessage();
    return message != null && !message.isBlank() ? message : "it gave no reason";
  }

  /** Lists everything, delivers the differences from what is known, and remembers the version. */
  private void relist() {
    Map<String, KubeObject> current = new HashMap<>();
    List<KubeObject> order = new ArrayList<>();
    String continueToken = null;
    String listVersion = null;
    do {
      KubeObject page =
          client
              .http()
              .send(
                  "GET",
                  url(false, continueToken),
                  null,
                  null,
                  "list " + type.plural() + " to watch them");
      if (listVersion == null) {
        listVersion = page.getString("metadata.resourceVersion");
      }
      for (Object item : page.getList("items")) {
        KubeObject object = withKind(KubeObject.from((Map<?, ?>) item));
        current.put(key(object), object);
        order.add(object);
      }
      continueToken = page.getString("metadata.continue");
    } while (continueToken != null && !continueToken.isEmpty() && !closed);
    for (KubeObject object : order) {
      String before = known.get(key(object));
      if (before == null) {
        deliver(WatchEvent.Type.ADDED, object);
      } else if (!before.equals(object.resourceVersion())) {
        deliver(WatchEvent.Type.MODIFIED, object);
      }
    }
    for (String gone : new ArrayList<>(known.keySet())) {
      if (!current.containsKey(gone)) {
        KubeObject last =
            KubeObject.of(type.apiVersion(), type.kind(), gone.substring(gone.indexOf('/') + 1));
        if (gone.indexOf('/') > 0) {
          last.namespace(gone.substring(0, gone.indexOf('/')));
        }
        deliver(WatchEvent.Type.DELETED, last);
      }
    }
    resourceVersion = listVersion;
    if (!closed) {
      listener.onSynced();
    }
  }

  /** Streams events until the server ends the stream; throws when it fails. */
  private void stream() {
    Call next = client.http().streamCall(url(true, null));
    call = next;
    if (closed) {
      return;
    }
    try (Response response = client.http().execute(next, "watch " + type.plural())) {
      BufferedSource source = response.body().source();
      String line;
      while (!closed && (line = source.readUtf8Line()) != null) {
        if (!line.isBlank()) {
          handle(line);
        }
      }
    } catch (IOException e) {
      if (!closed) {
        throw new dev.devkube.TransportException(
            "the watch of " + type.plural() + " was cut: " + e, e);
      }
    }
  }

  private void handle(String line) {
    Object parsed;
    try {
      parsed = Json.parse(line);
    } catch (IllegalArgumentException e) {
      // A line cut off by a dropped connection: reconnect from the last version seen.
      throw new dev.devkube.TransportException(
          "the watch of "
              + type.plural()
              + " sent an unreadable event (cut off?): "
              + e.getMessage(),
          e);
    }
    if (!(parsed instanceof Map)) {
      return;
    }
    KubeObject event = KubeObject.from((Map<?, ?>) parsed);
    String eventType = event.getString("type");
    Object body = event.get("object");
    if (eventType == null || !(body instanceof Map)) {
      return;
    }
    KubeObject object = KubeObject.from((Map<?, ?>) body);
    switch (eventType) {
      case "BOOKMARK" -> {
        resourceVersion = object.resourceVersion();
        return;
      }
      case "ERROR" -> {
        Long code = object.getLong("code");
        ApiError error =
            ApiError.of(
                code == null ? 500 : code.intValue(),
                object.getString("reason"),
                object.getString("message"));
        throw ApiException.of(
            "watch " + type.plural() + " failed: " + object.getString("message"), error);
      }
      case "ADDED", "MODIFIED", "DELETED" -> {
        withKind(object);
        if (object.resourceVersion() != null) {
          resourceVersion = object.resourceVersion();
        }
        eventsInStream++;
        String key = key(object);
        String before = known.get(key);
        if (eventType.equals("DELETED")) {
          deliver(WatchEvent.Type.DELETED, object);
        } else if (before == null) {
          deliver(WatchEvent.Type.ADDED, object);
        } else if (!before.equals(object.resourceVersion())) {
          deliver(WatchEvent.Type.MODIFIED, object);
        }
        return;
      }
      default -> log.debug("ignoring watch event type {}", eventType);
    }
  }

  private void deliver(WatchEvent.Type eventType, KubeObject object) {
    if (closed) {
      return;
    }
    String key = key(object);
    if (eventType == WatchEvent.Type.DELETED) {
      known.remove(key);
    } else {
      known.put(key, String.valueOf(object.resourceVersion()));
    }
    listener.onEvent(new WatchEvent(eventType, object));
  }

  private KubeObject withKind(KubeObject object) {
    if (object.apiVersion() == null) {
      object.set("apiVersion", type.apiVersion());
    }
    if (object.kind() == null) {
      object.set("kind", type.kind());
    }
    return object;
  }

  private static String key(KubeObject object) {
    String ns = object.namespace();
    return (ns == null ? "" : ns) + "/" + object.name();
  }

  private HttpUrl url(boolean watch, @Nullable String continueToken) {
    return watch
        ? client
            .http()
            .url(
                type.collectionPath(namespace),
                "watch",
                "true",
                "resourceVersion",
                resourceVersion,
                "allowWatchBookmarks",
                "true",
                "labelSelector",
                labelSelector,
                "fieldSelector",
                fieldSelector,
                "timeoutSeconds",
                String.valueOf(SERVER_TIMEOUT_SECONDS))
        : client
            .http()
            .url(
                type.collectionPath(namespace),
                "labelSelector",
                labelSelector,
                "fieldSelector",
                fieldSelector,
                "limit",
                "500",
                "continue",
                continueToken);
  }

  @Override
  public boolean isRunning() {
    return thread.isAlive();
  }

  @Override
  public void close() {
    closed = true;
    Call current = call;
    if (current != null) {
      current.cancel();
    }
    thread.interrupt();
    if (Thread.currentThread() != thread) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public String toString() {
    return "Watch["
        + type.plural()
        + (namespace == null ? "" : " in " + namespace)
        + (labelSelector == null ? "" : " " + labelSelector)
        + (fieldSelector == null ? "" : " " + fieldSelector)
        + " @"
        + resourceVersion
        + "]";
  }
}
