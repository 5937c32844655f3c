package dev.devkube.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What a watch's queue and bookmarks promise, against the store directly. */
class StoreWatchTest {
  private final Kinds kinds = Kinds.builtin();
  private final Kinds.Kind configMaps = Objects.requireNonNull(kinds.byKind("v1", "ConfigMap"));

  private static Map<String, @Nullable Object> configMap(String name) {
    return Doc.obj(
        "apiVersion",
        "v1",
        "kind",
        "ConfigMap",
        "metadata",
        Doc.obj("name", name, "namespace", "default"));
  }

  @Test
  void aBookmarkNeverRunsAheadOfTheEventsStillQueued() throws Exception {
    Store store = new Store();
    Store.Subscription watch = store.subscribe(configMaps, "default", null);
    assertThat(store.bookmarkVersion(watch)).isEqualTo(store.resourceVersion());
    store.create(configMaps, configMap("a"), false);
    // The change is the watch's to send first: a bookmark now would let a client skip it.
    assertThat(store.bookmarkVersion(watch)).isEqualTo(-1);
    Store.Change change = watch.queue().take();
    assertThat(change.type()).isEqualTo("ADDED");
    assertThat(store.bookmarkVersion(watch)).isEqualTo(change.resourceVersion());
  }

  @Test
  void everyWatchGetsChangesInResourceVersionOrderWhoeverWritesThem() throws Exception {
    Store store = new Store();
    Store.Subscription watch = store.subscribe(configMaps, "default", null);
    int writers = 4;
    int each = 200;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < each; i++) {
                  store.create(configMaps, configMap("w" + writer + "-" + i), false);
                }
              });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
    long previous = 0;
    for (int i = 0; i < writers * each; i++) {
      Store.Change change = watch.queue().take();
      assertThat(change.resourceVersion()).as("event %d", i).isGreaterThan(previous);
      previous = change.resourceVersion();
    }
  }

  @Test
  void aListAndItsVersionAreOneSnapshot() throws Exception {
    Store store = new Store();
    // Writers keep changing the store while lists are taken: every change after a list's version
    // is one the list does not show, and every change it shows is at or before its version.
    Thread writer =
        new Thread(
            () -> {
              for (int i = 0; i < 2000; i++) {
                store.create(configMaps, configMap("c" + i), false);
              }
            });
    writer.start();
    while (writer.isAlive()) {
      Store.Snapshot snapshot = store.snapshot(configMaps, "default", o -> true);
      for (Map<String, @Nullable Object> item : snapshot.items()) {
        assertThat(Long.parseLong(String.valueOf(Doc.string(item, "metadata.resourceVersion"))))
            .isLessThanOrEqualTo(snapshot.resourceVersion());
      }
      long newest =
          snapshot.items().stream()
              .mapToLong(
                  i -> Long.parseLong(String.valueOf(Doc.string(i, "metadata.resourceVersion"))))
              .max()
              .orElse(0);
      assertThat(newest)
          .as("the newest object is the list's version")
          .isEqualTo(snapshot.items().isEmpty() ? 0 : snapshot.resourceVersion());
    }
    writer.join();
  }
}
