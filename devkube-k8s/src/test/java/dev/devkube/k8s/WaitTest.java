package dev.devkube.k8s;

import static dev.devkube.k8s.WatchTest.event;
import static dev.devkube.k8s.WatchTest.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.WaitFailedException;
import dev.devkube.WaitTimeoutException;
import java.time.Duration;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WaitTest {
  private static final KubeObject WEB = KubeObject.of("v1", "Pod", "web");
  private KubeServer server;
  private KubeClient kube;

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

  private static String pod(String rv, String phase, @Nullable String waiting) {
    return "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\",\"resourceVersion\":\""
        + rv
        + "\"},"
        + "\"status\":{\"phase\":\""
        + phase
        + "\""
        + (waiting == null
            ? ""
            : ",\"containerStatuses\":"
                + "[{\"name\":\"web\",\"state\":{\"waiting\":{\"reason\":\""
                + waiting
                + "\",\"message\":"
                + "\"Back-off pulling image \\\"nginx:nope\\\"\"}}}]")
        + "}}";
  }

  private void stall() {
    server.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.Stall.INSTANCE).build());
  }

  @Test
  void endsOnTheFirstEventThatMeetsTheCondition() throws Exception {
    server.enqueue(200, list("1", pod("1", "Pending", null)));
    server.enqueue(
        200,
        event("MODIFIED", pod("2", "Pending", "ContainerCreating"))
            + event("MODIFIED", pod("3", "Running", null)));

    KubeObject running =
        kube.resource(WEB).waitUntil(Conditions.podRunning(), Duration.ofSeconds(10));

    assertThat(running.resourceVersion()).isEqualTo("3");
    assertThat(server.take().getUrl().queryParameter("fieldSelector"))
        .isEqualTo("metadata.name=web");
  }

  @Test
  void aWaitWhoseWatchIsRefusedSaysSoAndWhy() {
    server.enqueue(200, list("1", pod("1", "Pending", null)));
    server.enqueue(
        400, KubeServer.status(400, "BadRequest", "watch requests are not supported here"));

    assertThatThrownBy(
            () -> kube.resource(WEB).waitUntil(Conditions.podRunning(), Duration.ofSeconds(10)))
        .isInstanceOf(ApiException.class)
        .hasMessage(
            "could not wait for Pod default/web to be running: the server refused to watch it:"
                + " watch requests are not supported here (HTTP 400 BadRequest)");
  }

  @Test
  void anObjectAlreadyThereEndsTheWaitAtOnce() {
    server.enqueue(200, list("1", pod("1", "Running", null)));
    stall();

    assertThat(kube.resource(WEB).waitUntil(Conditions.exists(), Duration.ofSeconds(10)).name())
        .isEqualTo("web");
  }

  @Test
  void anAbsentObjectMeetsDeletedAtOnce() {
    server.enqueue(200, list("1"));
    stall();

    assertThat(kube.resource(WEB).waitUntil(Conditions.deleted(), Duration.ofSeconds(10)))
        .isEqualTo(WEB.copy().namespace("default"));
  }

  @Test
  void deletionIsSeen() {
    server.enqueue(200, list("1", pod("1", "Running", null)));
    server.enqueue(200, event("DELETED", pod("2", "Running", null)));

    assertThat(kube.resource(WEB).waitUntil(Conditions.deleted(), Duration.ofSeconds(10)).name())
        .isEqualTo("web");
  }

  @Test
  void aTimeoutNamesTheObjectTheConditionAndWhyItWaits() {
    server.enqueue(200, list("1", pod("1", "Pending", "ImagePullBackOff")));
    stall();

    assertThatThrownBy(
            () -> kube.resource(WEB).waitUntil(Conditions.podRunning(), Duration.ofMillis(300)))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage(
            "timed out after 300ms waiting for Pod default/web to be running; last state:"
                + " Pending (web: ImagePullBackOff: Back-off pulling image \"nginx:nope\")");
  }

  @Test
  void aStateThatCannotRecoverFailsAtOnce() {
    server.enqueue(200, list("1", pod("1", "Pending", null)));
    server.enqueue(
        200,
        event(
            "MODIFIED",
            "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\","
                + "\"resourceVersion\":\"2\"},\"status\":{\"phase\":\"Failed\",\"reason\":\"Evicted\","
                + "\"message\":\"The node was low on resource: memory.\"}}"));

    assertThatThrownBy(
            () -> kube.resource(WEB).waitUntil(Conditions.podRunning(), Duration.ofMinutes(5)))
        .isInstanceOf(WaitFailedException.class)
        .hasMessage(
            "gave up waiting for Pod default/web to be running: state failed: the pod ended in"
                + " phase Failed: Evicted: The node was low on resource: memory.");
  }

  @Test
  void whenWatchingIsForbiddenItPolls() throws Exception {
    server.enqueue(403, KubeServer.status(403, "Forbidden", "pods is forbidden"));
    server.enqueue(
        200,
        pod("1", "Pending", null)
            .replace("{\"metadata\"", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\""));
    server.enqueue(
        200,
        pod("2", "Running", null)
            .replace("{\"metadata\"", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\""));

    KubeObject running =
        kube.resource(WEB).waitUntil(Conditions.podRunning(), Duration.ofMinutes(1));

    assertThat(running.resourceVersion()).isEqualTo("2");
    server.take();
    assertThat(server.take().getTarget()).isEqualTo("/api/v1/namespaces/default/pods/web");
    // One backed-off poll: the Waiter's first delay, 2 s less up to 20% jitter.
    assertThat(server.clock.sleeps())
        .singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(1600), Duration.ofSeconds(2)));
  }

  @Test
  void podLogsAreReadAndFollowed() throws Exception {
    server.enqueue(new MockResponse.Builder().body("line one\nline two\n").build());
    server.enqueue(new MockResponse.Builder().body("a\nb\n").build());

    assertThat(
            kube.pod("dev", "nfs-1")
                .logs(
                    LogOptions.all()
                        .container("nfs")
                        .tailLines(10)
                        .since(Duration.ofMinutes(5))
                        .timestamps(true)))
        .isEqualTo("line one\nline two\n");
    try (LogStream log = kube.pod("dev", "nfs-1").followLogs(LogOptions.all())) {
      assertThat(log.readLine()).isEqualTo("a");
      assertThat(log.readLine()).isEqualTo("b");
      assertThat(log.readLine()).isNull();
    }
    assertThat(server.take().getTarget())
        .isEqualTo(
            "/api/v1/namespaces/dev/pods/nfs-1/log?container=nfs"
                + "&tailLines=10&sinceSeconds=300&timestamps=true");
    assertThat(server.take().getTarget())
        .isEqualTo("/api/v1/namespaces/dev/pods/nfs-1/log?follow=true");
  }

  @Test
  void closingAFollowedLogEndsIt() throws Exception {
    server.enqueue(
        new MockResponse.Builder()
            .body("first\n")
            .onResponseEnd(SocketEffect.Stall.INSTANCE)
            .build());

    LogStream log = kube.pod("dev", "nfs-1").followLogs(LogOptions.all());
    assertThat(log.readLine()).isEqualTo("first");
    log.close();
    assertThat(log.readLine()).isNull();
  }

  @Test
  void eventsAboutAnObjectComeOldestFirst() throws Exception {
    server.enqueue(
        200,
        "{\"kind\":\"EventList\",\"apiVersion\":\"v1\",\"metadata\":{},\"items\":["
            + "{\"metadata\":{\"name\":\"e2\"},\"reason\":\"BackOff\",\"lastTimestamp\":\"2026-11-24T12:05:00Z\"},"
            + "{\"metadata\":{\"name\":\"e1\"},\"reason\":\"Pulling\",\"lastTimestamp\":\"2026-11-24T12:00:00Z\"}]}");

    List<KubeObject> events = kube.events(WEB);

    assertThat(events).extracting(e -> e.getString("reason")).containsExactly("Pulling", "BackOff");
    assertThat(server.take().getUrl().queryParameter("fieldSelector"))
        .isEqualTo("involvedObject.name=web,involvedObject.kind=Pod");
  }
}
