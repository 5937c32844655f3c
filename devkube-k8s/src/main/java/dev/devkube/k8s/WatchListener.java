package dev.devkube.k8s;

import dev.devkube.DevkubeException;

/**
 * Receives what a {@link Watch} sees, on the watch's own thread, one call at a time and in order.
 * Keep the calls short: the next event waits for them.
 */
@FunctionalInterface
public interface WatchListener {
  /** An object was added, modified or deleted. */
  void onEvent(WatchEvent event);

  /**
   * The objects that exist have all been delivered (as ADDED, or as the changes found by a
   * re-list): from here on every event is a live change. Called after the first list and after each
   * re-list.
   */
  default void onSynced() {}

  /**
   * The watch stopped for good on an error it cannot recover from, e.g. a 403 because the
   * credentials may not watch this kind. Connection failures are not reported here: the watch
   * reconnects.
   */
  default void onError(DevkubeException error) {}

  /** The watch has stopped: closed, or after {@link #onError}. */
  default void onClose() {}
}
