package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devkube.testkit.internal.Doc;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake API server over raw HTTP: no devkube client code involved. */
class FakeKubernetesTest {
  private FakeKubernetes cluster;
  private RawHttp http;

  @BeforeEach
  void start() throws Exception {
    cluster = FakeKubernetes.start();
    http = new RawHttp(cluster.credentials());
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  private static final String CM =
      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\","
          + "\"labels\":{\"app\":\"web\",\"tier\":\"front\"}},\"data\":{\"k\":\"v\"}}";

  @Test
  void discoveryListsTheBuiltInKinds() {
    assertThat(http.get("/api").get("versions")).isEqualTo(List.of("v1"));
    RawHttp.Answer apps = http.get("/apis/apps/v1");
    assertThat(apps.code()).isEqualTo(200);
    assertThat(apps.body())
        .contains("\"name\":\"deployments\"")
        .contains("\"name\":\"deployments/status\"");
    assertThat(http.get("/apis").body())
        .contains("\"name\":\"apps\"")
        .contains("networking.k8s.io/v1");
    assertThat(http.get("/apis/nope.example.com/v1").code()).isEqualTo(404);
  }

  @Test
  void createGetReplaceDeleteWithTheServersStatusCodes() {
    RawHttp.Answer created = http.post("/api/v1/namespaces/default/configmaps", CM);
    assertThat(created.code()).isEqualTo(201);
    assertThat(created.get("metadata.uid")).isNotNull();
    assertThat(created.get("metadata.namespace")).isEqualTo("default");
    String rv = (String) created.get("metadata.resourceVersion");

    RawHttp.Answer duplicate = http.post("/api/v1/namespaces/default/configmaps", CM);
    assertThat(duplicate.code()).isEqualTo(409);
    assertThat(duplicate.get("reason")).isEqualTo("AlreadyExists");
    assertThat(duplicate.get("message")).isEqualTo("configmaps \"c\" already exists");

    String stale = CM.replace("\"name\":\"c\"", "\"name\":\"c\",\"resourceVersion\":\"1\"");
    RawHttp.Answer conflict =
        http.send("PUT", "/api/v1/namespaces/default/configmaps/c", stale, "application/json");
    assertThat(conflict.code()).isEqualTo(409);
    assertThat(conflict.get("reason")).isEqualTo("Conflict");

    String current =
        CM.replace("\"name\":\"c\"", "\"name\":\"c\",\"resourceVersion\":\"" + rv + "\"")
            .replace("\"v\"", "\"v2\"");
    RawHttp.Answer replaced =
        http.send("PUT", "/api/v1/namespaces/default/configmaps/c", current, "application/json");
    assertThat(replaced.code()).isEqualTo(200);
    assertThat(Long.parseLong((String) replaced.get("metadata.resourceVersion")))
        .isGreaterThan(Long.parseLong(rv));

    assertThat(
            http.send("DELETE", "/api/v1/namespaces/default/configmaps/c", null, "application/json")
                .code())
        .isEqualTo(200);
    RawHttp.Answer gone = http.get("/api/v1/namespaces/default/configmaps/c");
    assertThat(gone.code()).isEqualTo(404);
    assertThat(gone.get("kind")).isEqualTo("Status");
    assertThat(gone.get("message")).isEqualTo("configmaps \"c\" not found");
  }

  @Test
  void listsFilterBySelectorsAndPage() {
    for (String[] cm :
        new String[][] {{"a", "web", "front"}, {"b", "web", "back"}, {"c", "db", "back"}}) {
      http.post(
          "/api/v1/namespaces/default/configmaps",
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
              + "\"metadata\":{\"name\":\""
              + cm[0]
              + "\",\"labels\":{\"app\":\""
              + cm[1]
              + "\",\"tier\":\""
              + cm[2]
              + "\"}}}");
    }

    assertThat(names("/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb"))
        .containsExactly("a", "b");
    assertThat(names("/api/v1/namespaces/default/configmaps?labelSelector=app!%3Dweb"))
        .containsExactly("c");
    assertThat(names("/api/v1/namespaces/default/configmaps?labelSelector=tier%20in%20(front,x)"))
        .containsExactly("a");
    assertThat(names("/api/v1/namespaces/default/configmaps?labelSelector=tier%20notin%20(front)"))
        .containsExactly("b", "c");
    assertThat(names("/api/v1/namespaces/default/configmaps?labelSelector=app,!missing"))
        .containsExactly("a", "b", "c");
    assertThat(names("/api/v1/configmaps?fieldSelector=metadata.name%3Db")).containsExactly("b");
    RawHttp.Answer page = http.get("/api/v1/namespaces/default/configmaps?limit=2");
    assertThat((List<?>) page.get("items")).hasSize(2);
    String next = (String) page.get("metadata.continue");
    assertThat(names("/api/v1/namespaces/default/configmaps?limit=2&continue=" + next))
        .containsExactly("c");
  }

  private List<String> names(String path) {
    List<String> names = new ArrayList<>();
    for (Object item : (List<?>) Objects.requireNonNull(http.get(path).get("items"), path)) {
      names.add((String) Doc.get(item, "metadata.name"));
    }
    return names;
  }

  @Test
  void applyCreatesThenMergesAndAnUnchangedApplyKeepsTheVersion() {
    String path = "/api/v1/namespaces/default/configmaps/c?fieldManager=devkube";
    RawHttp.Answer first = http.send("PATCH", path, CM, "application/apply-patch+yaml");
    assertThat(first.code()).isEqualTo(201);
    RawHttp.Answer again = http.send("PATCH", path, CM, "application/apply-patch+yaml");
    assertThat(again.get("metadata.resourceVersion"))
        .isEqualTo(first.get("metadata.resourceVersion"));
    assertThat(again.body()).contains("\"manager\":\"devkube\"");
    RawHttp.Answer changed =
        http.send("PATCH", path, CM.replace("\"v\"", "\"w\""), "application/apply-patch+yaml");
    assertThat(changed.get("data.k")).isEqualTo("w");
    assertThat(
            http.send(
                    "PATCH",
                    "/api/v1/namespaces/default/configmaps/c",
                    CM,
                    "application/apply-patch+yaml")
                .code())
        .isEqualTo(400);
  }

  @Test
  void mergeAndJsonPatches() {
    http.post("/api/v1/namespaces/default/configmaps", CM);

    RawHttp.Answer merged =
        http.send(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/c",
            "{\"data\":{\"k\":null,\"n\":\"1\"}}",
            "application/merge-patch+json");
    assertThat(merged.get("data")).isEqualTo(Map.of("n", "1"));
    RawHttp.Answer patched =
        http.send(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/c",
            "[{\"op\":\"add\",\"path\":\"/data/x\",\"value\":\"y\"},{\"op\":\"remove\",\"path\":\"/data/n\"}]",
            "application/json-patch+json");
    assertThat(patched.get("data")).isEqualTo(Map.of("x", "y"));
    assertThat(
            http.send(
                    "PATCH",
                    "/api/v1/namespaces/default/configmaps/c",
                    "[{\"op\":\"remove\",\"path\":\"/data/nope\"}]",
                    "application/json-patch+json")
                .code())
        .isEqualTo(422);
  }

  @Test
  void validationRefusesWhatARealServerRefuses() {
    RawHttp.Answer badName =
        http.post("/api/v1/namespaces/default/configmaps", CM.replace("\"c\"", "\"Bad_Name\""));
    assertThat(badName.code()).isEqualTo(422);
    assertThat(badName.get("reason")).isEqualTo("Invalid");
    RawHttp.Answer secret =
        http.post(
            "/api/v1/namespaces/default/secrets",
            "{\"apiVersion\":\"v1\",\"kind\":"
                + "\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"key\":\"not base64!\"}}");
    assertThat(secret.code()).isEqualTo(422);
    assertThat(secret.body()).contains("data[key]");
    RawHttp.Answer deployment =
        http.post(
            "/apis/apps/v1/namespaces/default/deployments",
            "{\"apiVersion\":\"apps/v1\","
                + "\"kind\":\"Deployment\",\"metadata\":{\"name\":\"d\"},\"spec\":{\"template\":{\"spec\":{}}}}");
    assertThat(deployment.code()).isEqualTo(422);
    assertThat(deployment.body())
        .contains("spec.selector")
        .contains("spec.template.spec.containers");
    assertThat(http.post("/api/v1/namespaces/nowhere/configmaps", CM).code()).isEqualTo(404);
  }

  @Test
  void aTakenNodePortIsRefusedWithTheRealMessage() {
    String service =
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"%s\"},\"spec\":"
            + "{\"type\":\"NodePort\",\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80,\"nodePort\":30080}]}}";
    RawHttp.Answer first =
        http.post("/api/v1/namespaces/default/services", String.format(service, "web-service"));
    assertThat(first.code()).isEqualTo(201);
    assertThat((String) first.get("spec.clusterIP")).startsWith("10.96.");

    RawHttp.Answer second =
        http.post("/api/v1/namespaces/default/services", String.format(service, "other"));
    assertThat(second.code()).isEqualTo(422);
    assertThat(second.get("message"))
        .isEqualTo(
            "Service \"other\" is invalid: spec.ports[0].nodePort:"
                + " Invalid value: 30080: provided port is already allocated");
    RawHttp.Answer auto =
        http.post(
            "/api/v1/namespaces/default/services",
            String.format(service, "auto").replace(",\"nodePort\":30080", ""));
    List<?> ports = (List<?>) Objects.requireNonNull(auto.get("spec.ports"));
    Number nodePort = (Number) Objects.requireNonNull(Doc.get(ports.get(0), "nodePort"));
    assertThat(nodePort.intValue()).isBetween(30000, 32767).isNotEqualTo(30080);
  }

  @Test
  void deploymentsGetRunningPodsEndpointsAndStatus() throws Exception {
    http.post(
        "/apis/apps/v1/namespaces/default/deployments",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
            + "\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
            + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"nginx\","
            + "\"image\":\"nginx:1.27\"}]}}}}");
    http.post(
        "/api/v1/namespaces/default/services",
        "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":"
            + "{\"name\":\"web\"},\"spec\":{\"selector\":{\"app\":\"web\"},\"ports\":[{\"port\":80}]}}");

    RawHttp.Answer status =
        eventually(
            "/apis/apps/v1/namespaces/default/deployments/web",
            a -> Long.valueOf(2).equals(a.get("status.availableReplicas")));
    assertThat(status.get("status.observedGeneration")).isEqualTo(1L);
    assertThat(names("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb"))
        .hasSize(2)
        .allSatisfy(
            n ->
                assertThat(n)
                    .matches(
                        "web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}"));
    // As on a cluster: the Deployment owns a ReplicaSet named by its template's hash, which owns
    // the pods.
    assertThat(names("/apis/apps/v1/namespaces/default/replicasets"))
        .singleElement()
        .satisfies(
            n ->
                assertThat(names("/api/v1/namespaces/default/pods"))
                    .allSatisfy(p -> assertThat(p).startsWith(n + "-")));
    RawHttp.Answer endpoints =
        eventually(
            "/api/v1/namespaces/default/endpoints/web",
            a ->
                a.code() == 200
                    && a.get("subsets") instanceof List<?> subsets
                    && Doc.get(subsets.get(0), "addresses") instanceof List<?> addresses
                    && addresses.size() == 2);
    assertThat(endpoints.body()).contains("10.244.0.");
    assertThat(http.get("/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/web").code())
        .isEqualTo(200);
  }

  @Test
  void aFailingImageStaysInImagePullBackOff() throws Exception {
    cluster.failImage("nginx:nope");
    http.post(
        "/api/v1/namespaces/default/persistentvolumeclaims",
        "{\"apiVersion\":\"v1\",\"kind\":"
            + "\"PersistentVolumeClaim\",\"metadata\":{\"name\":\"data\"},\"spec\":{\"accessModes\":[\"ReadWriteOnce\"],"
            + "\"resources\":{\"requests\":{\"storage\":\"1Gi\"}}}}");
    http.post(
        "/apis/apps/v1/namespaces/default/deployments",
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\","
            + "\"metadata\":{\"name\":\"bad\"},\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"bad\"}},"
            + "\"template\":{\"metadata\":{\"labels\":{\"app\":\"bad\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
            + "\"image\":\"nginx:nope\"}]}}}}");

    RawHttp.Answer pods =
        eventually(
            "/api/v1/namespaces/default/pods?labelSelector=app%3Dbad",
            a -> a.body().contains("ImagePullBackOff"));
    assertThat(pods.body())
        .contains("\"phase\":\"Pending\"")
        .contains("Back-off pulling image \\\"nginx:nope\\\"");
    assertThat(
            eventually(
                    "/api/v1/namespaces/default/persistentvolumeclaims/data",
                    a -> "Bound".equals(a.get("status.phase")))
                .get("spec.volumeName"))
        .isNotNull();
  }

  @Test
  void watchStreamsChangesAndExpiresWith410() throws Exception {
    http.post("/api/v1/namespaces/default/configmaps", CM);
    String rv =
        String.valueOf(
            Doc.get(
                http.get("/api/v1/namespaces/default/configmaps").json(),
                "metadata.resourceVersion"));
    Request request =
        new Request.Builder()
            .url(
                http.base
                    + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                    + rv)
            .build();
    try (Response response = http.client.newCall(request).execute();
        BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(response.body().byteStream(), StandardCharsets.UTF_8))) {
      http.send(
          "PATCH",
          "/api/v1/namespaces/default/configmaps/c",
          "{\"data\":{\"k\":\"changed\"}}",
          "application/merge-patch+json");
      String modified = lines.readLine();
      assertThat(modified).startsWith("{\"type\":\"MODIFIED\"").contains("\"k\":\"changed\"");
      cluster.expireWatches();
      String expired = lines.readLine();
      assertThat(expired).startsWith("{\"type\":\"ERROR\"").contains("\"code\":410");
    }
    Request old =
        new Request.Builder()
            .url(
                http.base
                    + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                    + rv)
            .build();
    try (Response response = http.client.newCall(old).execute()) {
      assertThat(response.body().source().readUtf8Line())
          .contains("\"code\":410")
          .contains("too old resource version");
    }
  }

  private BufferedReader openWatch(Response response) {
    return new BufferedReader(
        new InputStreamReader(response.body().byteStream(), StandardCharsets.UTF_8));
  }

  @Test
  void aChangeMadeTheMomentAWatchOpensIsDelivered() throws Exception {
    http.post("/api/v1/namespaces/default/configmaps", CM);
    Request request =
        new Request.Builder()
            .url(http.base + "/api/v1/namespaces/default/configmaps?watch=true")
            .build();
    // The client changes the object as soon as the headers arrive, as controllers do; repeated,
    // since a subscription made after the headers would miss it only now and then.
    for (int i = 0; i < 20; i++) {
      try (Response response = http.client.newCall(request).execute();
          BufferedReader lines = openWatch(response)) {
        http.send(
            "PATCH",
            "/api/v1/namespaces/default/configmaps/c",
            "{\"data\":{\"k\":\"v" + i + "\"}}",
            "application/merge-patch+json");
        assertThat(lines.readLine()).startsWith("{\"type\":\"ADDED\"");
        assertThat(lines.readLine())
            .as("round " + i)
            .startsWith("{\"type\":\"MODIFIED\"")
            .contains("\"k\":\"v" + i + "\"");
      }
    }
  }

  private static long fakeHttpCpuNanos(ThreadMXBean threads) {
    long total = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().equals("fake-kubernetes-http")) {
        total += Math.max(0, threads.getThreadCpuTime(thread.getId()));
      }
    }
    return total;
  }

  @Test
  void anIdleWatchWithoutBookmarksCostsNoCpu() throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    assumeTrue(threads.isThreadCpuTimeSupported(), "this JVM cannot measure thread CPU time");
    // Bookmarks every 20 ms for the clients that ask: this one does not, and must not pay for it.
    try (FakeKubernetes quick =
            FakeKubernetes.builder().bookmarkInterval(Duration.ofMillis(20)).start();
        RawHttp raw = new RawHttp(quick.credentials())) {
      Request request =
          new Request.Builder()
              .url(raw.base + "/api/v1/namespaces/default/configmaps?watch=true")
              .build();
      try (Response response = raw.client.newCall(request).execute()) {
        assertThat(response.code()).isEqualTo(200);
        long before = fakeHttpCpuNanos(threads);
        // The idle interval is what is measured here, not a wait for a condition.
        Thread.sleep(500);
        long used = fakeHttpCpuNanos(threads) - before;
        assertThat(Duration.ofNanos(used))
            .as("CPU the fake spent on an idle watch in 0.5 s")
            .isLessThan(Duration.ofMillis(100));
      }
    }
  }

  @Test
  void aWatchEndsWhenItsClientGoesAwayEvenWhenNothingChanges() throws Exception {
    Request request =
        new Request.Builder()
            .url(http.base + "/api/v1/namespaces/default/configmaps?watch=true")
            .build();
    okhttp3.Call call = http.client.newCall(request);
    try (Response response = call.execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(cluster.openWatches()).isEqualTo(1);
      call.cancel(); // the client closes the connection; the fake has nothing to write
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (cluster.openWatches() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20); // polling a condition, with a generous bound
    }
    assertThat(cluster.openWatches()).as("watches left open by a gone client").isZero();
    // A client that stays gets its events as before the liveness checks.
    http.post("/api/v1/namespaces/default/configmaps", CM);
  }

  @Test
  void theVersionAFreshListReturnsAfterExpiryCanBeWatchedFrom() throws Exception {
    http.post("/api/v1/namespaces/default/configmaps", CM);
    cluster.expireWatches();
    String rv =
        String.valueOf(
            Doc.get(
                http.get("/api/v1/namespaces/default/configmaps").json(),
                "metadata.resourceVersion"));
    Request request =
        new Request.Builder()
            .url(
                http.base
                    + "/api/v1/namespaces/default/configmaps?watch=true&resourceVersion="
                    + rv)
            .build();
    try (Response response = http.client.newCall(request).execute();
        BufferedReader lines = openWatch(response)) {
      http.send(
          "PATCH",
          "/api/v1/namespaces/default/configmaps/c",
          "{\"data\":{\"k\":\"after\"}}",
          "application/merge-patch+json");
      assertThat(lines.readLine()).startsWith("{\"type\":\"MODIFIED\"").contains("after");
    }
  }

  @Test
  void aWebSocketWatchIsRefusedAtOnceSoClientsFallBackToAStream() throws Exception {
    Request upgrade =
        new Request.Builder()
            .url(http.base + "/api/v1/namespaces/default/configmaps?watch=true")
            .header("Connection", "Upgrade")
            .header("Upgrade", "websocket")
            .build();
    try (Response response = http.client.newCall(upgrade).execute()) {
      // Declined with a complete, empty 200: a 503 makes fabric8 retry for about 20 s before it
      // falls back to an HTTP watch (Fabric8ConformanceTest shows the fallback is immediate).
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Upgrade")).isNull();
      assertThat(response.body().string()).isEmpty();
    }
  }

  @Test
  void faultsAreInjectedAndRequestsRecorded() {
    cluster.failNext(1, "GET", "/api/v1/nodes", 503, "{\"kind\":\"Status\",\"code\":503}");

    assertThat(http.get("/api/v1/nodes").code()).isEqualTo(503);
    assertThat(names("/api/v1/nodes")).containsExactly("node-1", "node-2");
    assertThat(cluster.requests())
        .extracting(ApiRequest::toString)
        .containsExactly("GET /api/v1/nodes", "GET /api/v1/nodes");
    assertThat(http.get("/api/v1/nodes/node-1").body())
        .contains("ExternalIP")
        .contains("203.0.113.7");
  }

  @Test
  void aRequestWithoutCredentialsIs401() throws Exception {
    try (FakeKubernetes tokenCluster = FakeKubernetes.builder().token("s3cret").start();
        RawHttp anonymous =
            new RawHttp(
                dev.devkube.ClusterCredentials.ofToken(
                    "x",
                    "x",
                    tokenCluster.url(),
                    tokenCluster.credentials().caCertificate(),
                    "wrong",
                    null))) {
      RawHttp.Answer answer = anonymous.get("/api/v1/nodes");
      assertThat(answer.code()).isEqualTo(401);
      assertThat(answer.get("reason")).isEqualTo("Unauthorized");
    }
  }

  private RawHttp.Answer eventually(
      String path, java.util.function.Predicate<RawHttp.Answer> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    RawHttp.Answer answer = http.get(path);
    while (!condition.test(answer)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s: " + path + " -> " + answer.body());
      }
      Thread.onSpinWait();
      answer = http.get(path);
    }
    return answer;
  }
}
