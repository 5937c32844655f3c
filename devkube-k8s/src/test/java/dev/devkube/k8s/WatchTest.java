package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.DevkubeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Streaming watches against MockWebServer; latches and bounded polls, never sleeps. */
// A watch opened in try-with-resources only has to stay open while the block asserts on its events.
@SuppressWarnings("try")
class WatchTest {
  private KubeServer server;
  private KubeClient kube;
  private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
  private final CountDownLatch closed = new CountDownLatch(1);

  private final WatchListener recorder =
      new WatchListener() {
        @Override
        public void onEvent(WatchEvent event) {
          seen.add(
              event.type() + " " + event.object().name() + "@" + event.object().resourceVersion());
        }

        @Override
        public void onSynced() {
          seen.add("synced");
        }

        @Override
        public void onError(DevkubeException error) {
          seen.add("error " + error.getMessage());
        }

        @Override
        public void onClose() {
          closed.countDown();
        }
      };

  @BeforeEach
  void start() throws Exception {
    server = new KubeServer(false);
    kube = server.builder().token("t").build();
  }

  @AfterEach
  void stop() throws Exception {
    kube.close();
    server.close();
  }

  static String pod(String name, String rv) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\",\"namespace\":\"default\",\"resourceVersion\":\""
        + rv
        + "\"},\"status\":{\"phase\":\"Running\"}}";
  }

  static String list(String rv, String... pods) {
    return "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\""
        + rv
        + "\"},\"items\":["
        + String.join(",", pods)
        + "]}";
  }

  static String event(String type, String object) {
    return "{\"type\":\"" + type + "\",\"object\":" + object + "}\n";
  }

  private List<String> next(int count) throws InterruptedException {
    List<String> events = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String event = seen.poll(5, TimeUnit.SECONDS);
      if (event == null) {
        throw new AssertionError("only " + events + " arrived within 5 s");
      }
      events.add(event);
    }
    return events;
  }

  @Test
  void deliversTheListThenEveryChangeInOrder() throws Exception {
    server.enqueue(200, list("10", pod("p1", "10")));
    server.enqueue(
        200,
        event("ADDED", pod("p2", "11"))
            + event("MODIFIED", pod("p1", "12"))
            + event("DELETED", pod("p2", "13")));

    try (Watch watch = kube.resources("v1", "Pod").withLabel("app", "web").watch(recorder)) {
      assertThat(next(5))
          .containsExactly(
              "ADDED p1@10", "synced", "ADDED p2@11", "MODIFIED p1@12", "DELETED p2@13");
      assertThat(watch.isRunning()).isTrue();
    }
    assertThat(server.take().getTarget())
        .isEqualTo("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb&limit=500");
    RecordedRequest watchRequest = server.take();
    assertThat(watchRequest.getUrl().queryParameter("watch")).isEqualTo("true");
    assertThat(watchRequest.getUrl().queryParameter("resourceVersion")).isEqualTo("10");
    assertThat(watchRequest.getUrl().queryParameter("allowWatchBookmarks")).isEqualTo("true");
    assertThat(watchRequest.getUrl().queryParameter("labelSelector")).isEqualTo("app=web");
  }

  @Test
  void aCutStreamResumesFromTheLastVersionWithoutDuplicates() throws Exception {
    server.enqueue(200, list("10"));
    server.enqueue(200, event("ADDED", pod("p1", "11")) + "{\"type\":\"MODIF");
    server.enqueue(200, event("ADDED", pod("p1", "11")) + event("MODIFIED", pod("p1", "12")));

    try (Watch watch = kube.resources("v1", "Pod").watch(recorder)) {
      assertThat(next(3)).containsExactly("synced", "ADDED p1@11", "MODIFIED p1@12");
    }
    server.take();
    assertThat(server.take().getUrl().queryParameter("resourceVersion")).isEqualTo("10");
    assertThat(server.take().getUrl().queryParameter("resourceVersion")).isEqualTo("11");
    assertThat(server.clock.sleeps()).isNotEmpty();
  }

  @Test
  void goneMeansListAgainAndDeliverOnlyWhatChanged() throws Exception {
    String expired =
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"status\":\"Failure\",\"message\":\"too old resource version: 5 (20)\",\"reason\":\"Expired\","
            + "\"code\":410}}\n";
    Path real =
        Path.of(System.getProperty("devkube.reference", "../../shared/reference"))
            .resolve("kubernetes-status/410-expired-watch-event.watch-cache.json")
            .normalize();
    if (Files.isRegularFile(real)) {
      expired = Files.readString(real).strip().replace("\n", " ") + "\n";
    }
    server.enqueue(200, list("6", pod("p1", "5"), pod("p2", "6")));
    server.enqueue(200, expired);
    server.enqueue(200, list("20", pod("p1", "5"), pod("p3", "9")));

    try (Watch watch = kube.resources("v1", "Pod").watch(recorder)) {
      assertThat(next(6))
          .containsExactly(
              "ADDED p1@5", "ADDED p2@6", "synced", "ADDED p3@9", "DELETED p2@null", "synced");
      server.take();
      server.take();
      server.take();
      assertThat(server.take().getUrl().queryParameter("resourceVersion")).isEqualTo("20");
    }
  }

  @Test
  void aFailedListIsRetriedWithBackoffAndTheWatchGoesOn() throws Exception {
    server.enqueue(503, KubeServer.status(503, "ServiceUnavailable", "etcd is unavailable"));
    server.enqueue(200, list("10", pod("p1", "10")));
    server.enqueue(200, event("MODIFIED", pod("p1", "11")));

    try (Watch watch = kube.resources("v1", "Pod").watch(recorder)) {
      assertThat(next(3)).containsExactly("ADDED p1@10", "synced", "MODIFIED p1@11");
      assertThat(watch.isRunning()).isTrue();
    }
    assertThat(server.take().getUrl().queryParameter("watch")).isNull();
    assertThat(server.take().getUrl().queryParameter("watch")).isNull();
    assertThat(server.take().getUrl().queryParameter("resourceVersion")).isEqualTo("10");
    // One backoff before the second list. (When the mock's watch answer ends, the loop may back
    // off again before close() stops it, so later sleeps are not counted.)
    assertThat(server.clock.sleeps()).isNotEmpty();
    assertThat(server.clock.sleeps().get(0))
        .isPositive()
        .isLessThan(java.time.Duration.ofSeconds(2));
  }

  @Test
  void aFailedListAfterGoneIsRetriedToo() throws Exception {
    server.enqueue(200, list("6", pod("p1", "5")));
    server.enqueue(410, KubeServer.status(410, "Expired", "too old resource version: 6 (20)"));
    server.enqueue(500, KubeServer.status(500, "InternalError", "the server had an error"));
    server.enqueue(200, list("20", pod("p1", "5"), pod("p2", "19")));

    try (Watch watch = kube.resources("v1", "Pod").watch(recorder)) {
      assertThat(next(4)).containsExactly("ADDED p1@5", "synced", "ADDED p2@19", "synced");
      assertThat(watch.isRunning()).isTrue();
    }
  }

  @Test
  void goneAgainAndAgainBacksOffInsteadOfSpinning() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(200, list(String.valueOf(10 + i)));
      server.enqueue(410, KubeServer.status(410, "Expired", "too old resource version"));
    }
    server.enqueue(200, list("20"));
    server.enqueue(200, event("ADDED", pod("p1", "21")));

    try (Watch watch = kube.resources("v1", "Pod").watch(recorder)) {
      assertThat(next(6))
          .containsExactly("synced", "synced", "synced", "synced", "synced", "ADDED p1@21");
    }
    // The first 410 lists again at once; each one after it waits longer: three waits for four
    // 410s. (When the mock's last watch answer ends, the loop may wait again before close()
    // stops it, so only the first three are compared.)
    List<java.time.Duration> sleeps = server.clock.sleeps();
    assertThat(sleeps.size()).isGreaterThanOrEqualTo(3);
    assertThat(sleeps.get(2)).isGreaterThan(sleeps.get(0));
  }

  @Test
  void aWatchTheServerRefusesIsReportedNotRetried() throws Exception {
    server.enqueue(200, list("10"));
    server.enqueue(
        400, KubeServer.status(400, "BadRequest", "watch requests are not supported here"));

    Watch watch = kube.resources("v1", "Pod").watch(recorder);
    assertThat(next(2))
        .containsExactly(
            "synced",
            "error the server refused to watch pods: watch requests are not supported here"
                + " (HTTP 400 BadRequest)");
    assertThat(closed.await(5, TimeUnit.SECONDS)).as("the watch ended by itself").isTrue();
    watch.close();
    assertThat(server.clock.sleeps()).as("no retry was scheduled").isEmpty();
  }

  @Test
  void bookmarksMoveTheVersionSilently() throws Exception {
    server.enqueue(200, list("10"));
    server.enqueue(
        200,
        event(
            "BOOKMARK",
            "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":"
                + "{\"resourceVersion\":\"50\"}}"));
    server.enqueue(200, event("ADDED", pod("p9", "51")));

    try (Watch watch = kube.resources("v1", "Pod").watch(recorder)) {
      assertThat(next(2)).containsExactly("synced", "ADDED p9@51");
    }
    server.take();
    server.take();
    assertThat(server.take().getUrl().queryParameter("resourceVersion")).isEqualTo("50");
  }

  @Test
  void closeStopsTheThreadAndSaysSo() throws Exception {
    server.enqueue(200, list("10"));

    Watch watch = kube.resources("v1", "Pod").watch(recorder);
    assertThat(next(1)).containsExactly("synced");
    watch.close();

    assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(watch.isRunning()).isFalse();
  }

  @Test
  void aForbiddenWatchReportsTheErrorAndStops() throws Exception {
    server.enqueue(
        403,
        KubeServer.status(403, "Forbidden", "pods is forbidden: User \\\"dev\\\" cannot list"));

    try (Watch watch = kube.resources("v1", "Pod").watch(recorder)) {
      assertThat(next(1).get(0))
          .startsWith("error list pods to watch them failed: pods is forbidden");
      assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aSingleObjectWatchSelectsItByName() throws Exception {
    server.enqueue(200, list("3", pod("web", "3")));

    try (Watch watch = kube.resource(KubeObject.of("v1", "Pod", "web")).watch(recorder)) {
      assertThat(next(2)).containsExactly("ADDED web@3", "synced");
    }
    assertThat(server.take().getUrl().queryParameter("fieldSelector"))
        .isEqualTo("metadata.name=web");
  }

  @Test
  void sixConcurrentWatchesAllDeliver() throws Exception {
    server.server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            String path = request.getUrl().encodedPath();
            String ns = path.split("/", -1)[4];
            if (request.getUrl().queryParameter("watch") == null) {
              return new MockResponse.Builder().body(list("1")).build();
            }
            if ("1".equals(request.getUrl().queryParameter("resourceVersion"))) {
              return new MockResponse.Builder().body(event("ADDED", pod("in-" + ns, "2"))).build();
            }
            return new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build();
          }
        });
    List<Watch> watches = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        watches.add(kube.resources("v1", "Pod").inNamespace("ns" + i).watch(recorder));
      }
      List<String> events = next(12);
      assertThat(events)
          .filteredOn(e -> e.startsWith("ADDED"))
          .hasSize(6)
          .contains("ADDED in-ns0@2", "ADDED in-ns5@2");
    } finally {
      watches.forEach(Watch::close);
    }
    assertThat(watches).noneMatch(Watch::isRunning);
  }
}
