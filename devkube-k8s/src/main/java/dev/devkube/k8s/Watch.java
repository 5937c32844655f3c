package dev.devkube.k8s;

/**
 * A running watch: changes stream to its {@link WatchListener} on one thread of its own until it is
 * closed. Made by {@code kube.resources(...).watch(listener)} or {@code
 * kube.resource(obj).watch(listener)}.
 *
 * <pre>{@code
 * try (Watch watch = kube.resources("v1", "Pod").inNamespace("dev")
 *     .watch(event -> log.info("{}", event))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Each watch costs one thread and one HTTP stream (streams to the same server share a connection
 * over HTTP/2). Watches do not go through OkHttp's dispatcher, so its limit of five concurrent
 * requests per host never holds a sixth watch back.
 */
public interface Watch extends AutoCloseable {
  /** Whether the watch is still delivering or reconnecting. */
  boolean isRunning();

  /** Stops the watch and waits briefly for its thread to end; safe to call from the listener. */
  @Override
  void close();
}
