package dev.devkube.k8s;

import dev.devkube.ApiException;
import dev.devkube.AuthenticationException;
import dev.devkube.DevkubeException;
import dev.devkube.NotFoundException;
import dev.devkube.Poll;
import dev.devkube.WaitFailedException;
import dev.devkube.WaitTimeoutException;
import dev.devkube.Waiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * {@link KubeResource#waitUntil}: judges the object's state as a watch of that one object reports
 * it, so the wait ends the moment the server sees the change. Polls with backoff only when the
 * credentials may not watch.
 */
final class ObjectWait {
  private final KubeResource resource;
  private final Condition condition;
  private final String awaited;
  private final CompletableFuture<KubeObject> result = new CompletableFuture<>();
  private volatile Condition.Check last = Condition.Check.notYet("not seen yet");
  private volatile boolean seen;

  ObjectWait(KubeResource resource, Condition condition) {
    this.resource = resource;
    this.condition = condition;
    this.awaited = resource.describe() + " " + condition.description();
  }

  @SuppressWarnings("try") // the watch only has to be open while the future is awaited
  KubeObject await(Duration timeout) {
    long start = resource.client().clock().nanoTime();
    try (Watch watch =
        resource.watch(
            new WatchListener() {
              @Override
              public void onEvent(WatchEvent event) {
                seen = true;
                judge(event.type() == WatchEvent.Type.DELETED ? null : event.object());
              }

              @Override
              public void onSynced() {
                if (!seen) {
                  judge(null);
                }
              }

              @Override
              public void onError(DevkubeException error) {
                result.completeExceptionally(error);
              }
            })) {
      return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new WaitTimeoutException(awaited, timeout, last.state());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevkubeException("interrupted while waiting for " + awaited, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof AuthenticationException authenticationException
          && authenticationException.isForbidden()) {
        Duration left = timeout.minusNanos(resource.client().clock().nanoTime() - start);
        return poll(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left);
      }
      if (cause instanceof ApiException refused
          && !(cause instanceof AuthenticationException || cause instanceof NotFoundException)
          && refused.statusCode() >= 400
          && refused.statusCode() < 500) {
        String why = refused.serverMessage();
        throw ApiException.of(
            "could not wait for "
                + awaited
                + ": the server refused to watch it: "
                + (why == null || why.isBlank() ? "it gave no reason" : why),
            refused.error());
      }
      if (cause instanceof DevkubeException devkubeException) {
        throw devkubeException;
      }
      throw new DevkubeException("waiting for " + awaited + " failed: " + cause, cause);
    }
  }

  private synchronized void judge(@Nullable KubeObject object) {
    if (result.isDone()) {
      return;
    }
    Condition.Check check = condition.check(object);
    last = check;
    switch (check.outcome()) {
      case MET -> result.complete(object != null ? object : resource.object());
      case FAILED ->
          result.completeExceptionally(new WaitFailedException(awaited, "failed", check.state()));
      default -> {}
    }
  }

  /** The fallback when watching is forbidden: get, judge, back off. */
  private KubeObject poll(Duration timeout) {
    Waiter waiter = Waiter.builder().timeout(timeout).clock(resource.client().clock()).build();
    return waiter.await(
        awaited,
        () -> {
          KubeObject object = resource.get().orElse(null);
          Condition.Check check = condition.check(object);
          return switch (check.outcome()) {
            case MET -> Poll.done(object != null ? object : resource.object());
            case FAILED -> Poll.failed("failed", check.state());
            default -> Poll.pending(check.state());
          };
        });
  }
}
