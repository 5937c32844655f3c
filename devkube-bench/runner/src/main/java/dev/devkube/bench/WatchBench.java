package dev.devkube.bench;

import dev.devkube.testkit.FakeKubernetes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Section 4 of the benchmark: watch latency at rest (changes paced at 50 and 20 ms, each client
 * beside a bare stream reader in the fake's JVM) and watch throughput under a burst.
 */
final class WatchBench {
  private final StringBuilder md;
  private final Path work;

  WatchBench(StringBuilder md, Path work) {
    this.md = md;
    this.work = work;
  }

  void run(int events, int rounds) throws Exception {
    Runner.log("watch at rest, 200 changes paced at 50 ms and at 20 ms");
    int paced = 200;
    long[] pacings = {50_000_000L, 20_000_000L};
    Map<Long, Map<String, Map<String, List<Double>>>> rest = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (long pacing : pacings) {
        Map<String, Map<String, List<Double>>> byClient =
            rest.computeIfAbsent(pacing, p -> new LinkedHashMap<>());
        for (Runner.App app : Runner.rotate(round)) {
          collect(byClient, app.label(), watchRun(app, paced, pacing));
        }
        collect(byClient, BARE, bareRun(paced, pacing));
      }
    }
    Runner.log("watch throughput, " + events + " events");
    Map<String, Map<String, List<Double>>> burst = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      for (Runner.App app : Runner.rotate(round)) {
        collect(burst, app.label(), watchRun(app, events, 0));
      }
    }
    md.append(
            "\n## 4. Watch\n\n### Latency at rest\n\nOnce a client's watch is live (a probe change")
        .append(
            " has reached it), the runner, in the fake's JVM, changes one of 50 ConfigMaps every 50 ms,")
        .append(" then every 20 ms, ")
        .append(paced)
        .append(
            " changes each; latency is from the change's timestamp, taken just before the server stores")
        .append(
            " it, to the client's listener. The bare stream reader is the floor: an OkHttp call in the")
        .append(
            " fake's own JVM that reads the watch's lines and parses only the timestamp, so its figure is")
        .append(
            " the fake's share (store, encode, flush, loopback); a client's figure over it is the")
        .append(" client's own. fabric8 uses HTTP watches (`onlyHttpWatches`), as the others do. ")
        .append(rounds)
        .append(" runs per client and pace, each against a fresh server.\n\n");
    md.append("| pace | client | p50 ms | p90 ms | p99 ms | max ms | received |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (long pacing : pacings) {
      List<String> labels = new ArrayList<>();
      Runner.CLIENTS.forEach(app -> labels.add(app.label()));
      labels.add(BARE);
      for (String label : labels) {
        Map<String, List<Double>> values = rest.get(pacing).get(label);
        md.append("| ")
            .append(pacing / 1_000_000)
            .append(" ms | ")
            .append(label)
            .append(" | ")
            .append(millis(values, "latency_p50_us"))
            .append(" | ")
            .append(millis(values, "latency_p90_us"))
            .append(" | ")
            .append(millis(values, "latency_p99_us"))
            .append(" | ")
            .append(millis(values, "latency_max_us"))
            .append(" | ")
            .append(Stats.format(values.get("received"), 0))
            .append(" |\n");
      }
    }
    md.append("\n### Throughput\n\nA watch on one namespace while the server stores ")
        .append(events)
        .append(
            " changes as fast as it can (50 ConfigMaps, each updated in turn, by the runner in the fake's JVM);")
        .append(
            " events/s is from the first change made to the last one delivered, so the fake's own pace caps it;")
        .append(" latency is measured as above, but under that burst. ")
        .append(rounds)
        .append(" runs per client, each against a fresh server.\n\n");
    md.append(
        "| client | events/s | latency p50 ms | latency p99 ms | events received |\n| --- | ---: | ---: | ---: | ---: |\n");
    for (Runner.App app : Runner.CLIENTS) {
      Map<String, List<Double>> values = burst.get(app.label());
      md.append("| ")
          .append(app.label())
          .append(" | ")
          .append(Stats.format(values.get("events_per_s"), 0))
          .append(" | ")
          .append(millis(values, "latency_p50_us"))
          .append(" | ")
          .append(millis(values, "latency_p99_us"))
          .append(" | ")
          .append(Stats.format(values.get("received"), 0))
          .append(" |\n");
    }
  }

  private static final String BARE = "bare stream reader (the fake's share)";

  private static void collect(
      Map<String, Map<String, List<Double>>> into, String label, Map<String, Double> values) {
    values.forEach(
        (key, value) ->
            into.computeIfAbsent(label, l -> new TreeMap<>())
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(value));
  }

  private static String millis(Map<String, List<Double>> values, String key) {
    return Stats.format(values.get(key).stream().map(us -> us / 1000).toList(), 2);
  }

  /** A fresh fake with namespace {@code watch}. */
  private static FakeKubernetes watchCluster() {
    FakeKubernetes cluster = FakeKubernetes.builder().rsaClientKey().start();
    cluster.put(
        "v1",
        "Namespace",
        Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", "watch")));
    return cluster;
  }

  /**
   * Changes {@code count} ConfigMaps, one every {@code pacingNanos} (0: as fast as the store goes),
   * each stamped with the time just before it is stored.
   */
  private static void produce(FakeKubernetes cluster, int count, long pacingNanos) {
    long next = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (pacingNanos > 0) {
        next += pacingNanos;
        LockSupport.parkNanos(next - System.nanoTime());
      }
      cluster.put("v1", "ConfigMap", configMap("w-" + (i % 50), Workload.nowMicros()));
    }
  }

  /** Until {@code live} is set, changes a probe object (ts 0: not measured) every 20 ms. */
  private static Thread prober(
      FakeKubernetes cluster, java.util.concurrent.atomic.AtomicBoolean live) {
    Thread prober =
        new Thread(
            () -> {
              while (!live.get()) {
                cluster.put("v1", "ConfigMap", configMap("probe", 0));
                LockSupport.parkNanos(20_000_000);
              }
            },
            "bench-probe");
    prober.start();
    return prober;
  }

  private Map<String, Double> watchRun(Runner.App app, int events, long pacingNanos)
      throws Exception {
    try (FakeKubernetes cluster = watchCluster()) {
      Path kubeconfig = Files.writeString(work.resolve("watch.kubeconfig"), cluster.kubeconfig());
      Child child = Child.start(app, work, "watch", kubeconfig.toString(), String.valueOf(events));
      java.util.concurrent.atomic.AtomicBoolean live =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread prober = prober(cluster, live);
      try {
        child.awaitLine("ready", Duration.ofSeconds(60));
      } finally {
        live.set(true);
        prober.join();
      }
      produce(cluster, events, pacingNanos);
      Map<String, Double> values = child.finish(Duration.ofMinutes(3));
      Runner.log(
          "  "
              + app.label()
              + (pacingNanos > 0 ? " paced " + pacingNanos / 1_000_000 + " ms" : "")
              + ": "
              + values);
      return values;
    }
  }

  /**
   * The floor of a watch: one OkHttp call in this JVM reading the stream's lines and parsing only
   * each change's timestamp.
   */
  private Map<String, Double> bareRun(int count, long pacingNanos) throws Exception {
    try (FakeKubernetes cluster = watchCluster()) {
      dev.devkube.ClusterCredentials credentials = cluster.credentials();
      java.security.cert.X509Certificate ca =
          (java.security.cert.X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new java.io.ByteArrayInputStream(
                          java.util.Objects.requireNonNull(credentials.caCertificate())
                              .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      okhttp3.tls.HandshakeCertificates tls =
          new okhttp3.tls.HandshakeCertificates.Builder()
              .addTrustedCertificate(ca)
              .heldCertificate(
                  okhttp3.tls.HeldCertificate.decode(
                      credentials.clientCertificate() + credentials.clientKey()))
              .build();
      okhttp3.OkHttpClient http =
          new okhttp3.OkHttpClient.Builder()
              .sslSocketFactory(tls.sslSocketFactory(), tls.trustManager())
              .readTimeout(Duration.ZERO)
              .build();
      okhttp3.Request request =
          new okhttp3.Request.Builder()
              .url(credentials.server() + "/api/v1/namespaces/watch/configmaps?watch=true")
              .build();
      long[] latencies = new long[count];
      java.util.concurrent.atomic.AtomicInteger received =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(1);
      Pattern ts = Pattern.compile("\"ts\":\"(\\d+)\"");
      okhttp3.Call call = http.newCall(request);
      Thread reader =
          new Thread(
              () -> {
                try (okhttp3.Response response = call.execute()) {
                  okio.BufferedSource source = response.body().source();
                  for (String line; (line = source.readUtf8Line()) != null; ) {
                    long now = Workload.nowMicros();
                    java.util.regex.Matcher m = ts.matcher(line);
                    if (!m.find()) {
                      continue;
                    }
                    long stamp = Long.parseLong(m.group(1));
                    if (stamp == 0) {
                      connected.countDown();
                    } else {
                      int i = received.getAndIncrement();
                      if (i < count) {
                        latencies[i] = now - stamp;
                      }
                      if (i == count - 1) {
                        all.countDown();
                      }
                    }
                  }
                } catch (IOException e) {
                  // cancelled at the end
                }
              },
              "bench-bare-watch");
      reader.start();
      java.util.concurrent.atomic.AtomicBoolean live =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread prober = prober(cluster, live);
      try {
        if (!connected.await(60, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException("the bare watch never went live");
        }
      } finally {
        live.set(true);
        prober.join();
      }
      produce(cluster, count, pacingNanos);
      all.await(30, java.util.concurrent.TimeUnit.SECONDS);
      call.cancel();
      reader.join(10_000);
      http.dispatcher().executorService().shutdown();
      int got = Math.min(received.get(), count);
      long[] sorted = java.util.Arrays.copyOf(latencies, got);
      java.util.Arrays.sort(sorted);
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("received", (double) got);
      if (got > 0) {
        values.put("latency_p50_us", (double) Workload.percentile(sorted, 0.50));
        values.put("latency_p90_us", (double) Workload.percentile(sorted, 0.90));
        values.put("latency_p99_us", (double) Workload.percentile(sorted, 0.99));
        values.put("latency_max_us", (double) sorted[got - 1]);
      }
      Runner.log("  bare paced " + pacingNanos / 1_000_000 + " ms: " + values);
      return values;
    }
  }

  private static Map<String, Object> configMap(String name, long ts) {
    Map<String, Object> configMap = new LinkedHashMap<>();
    configMap.put("apiVersion", "v1");
    configMap.put("kind", "ConfigMap");
    configMap.put("metadata", Map.of("name", name, "namespace", "watch"));
    configMap.put("data", Map.of("ts", String.valueOf(ts)));
    return configMap;
  }
}
