package dev.devkube.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * The workloads every client runs, written once: an app supplies the client's calls and this class
 * times them. An app's JVM runs one mode and prints {@code RESULT <name> <value>} lines:
 *
 * <ul>
 *   <li>{@code startup KUBECONFIG}: one list call, then {@code listed}; the runner times the
 *       process.
 *   <li>{@code throughput KUBECONFIG N THREADS}: create, get, list, replace and delete of N
 *       ConfigMaps by THREADS callers; ops/s per verb and the peak RSS.
 *   <li>{@code watch KUBECONFIG COUNT}: watches namespace {@code watch}, says {@code ready} once a
 *       probe change (data.ts 0) has come through, and reports events/s (from the first change made
 *       to the last delivered) and the latency from each change's timestamp to its delivery.
 * </ul>
 */
public final class Workload {
  /** What a client must do for the workloads. */
  public interface Client extends AutoCloseable {
    int list(String namespace) throws Exception;

    /** Creates a ConfigMap with {@code data.v = value}; returns what {@link #replace} needs. */
    Object create(String namespace, String name, String value) throws Exception;

    void get(String namespace, String name) throws Exception;

    /** Replaces what {@link #create} returned, with {@code data.v = value}. */
    void replace(Object created, String value) throws Exception;

    void delete(String namespace, String name) throws Exception;

    /**
     * Starts watching ConfigMaps in {@code namespace}; calls {@code onTimestamp} with each event's
     * data.ts.
     */
    void watch(String namespace, LongConsumer onTimestamp) throws Exception;
  }

  /** Opens a client from a kubeconfig file. */
  public interface Opener {
    Client open(Path kubeconfig) throws Exception;
  }

  private Workload() {}

  /** Runs the mode in {@code args} with the client {@code opener} makes; exits the JVM. */
  public static void main(String name, String[] args, Opener opener) throws Exception {
    Path kubeconfig = Path.of(args[1]);
    try (Client client = opener.open(kubeconfig)) {
      switch (args[0]) {
        case "startup" -> {
          client.list("default");
          System.out.println("listed");
        }
        case "throughput" ->
            throughput(name, client, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        case "watch" -> watch(client, Integer.parseInt(args[2]));
        default -> throw new IllegalArgumentException("unknown mode " + Arrays.toString(args));
      }
      System.out.flush();
    }
    System.exit(0);
  }

  /** Microseconds since the epoch: comparable between processes on one machine. */
  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  private interface Op {
    void run(int i) throws Exception;
  }

  private static void throughput(String client, Client kube, int n, int threads) throws Exception {
    String prefix = "cm-" + client + "-" + threads + "-" + ProcessHandle.current().pid() + "-";
    Object[] created = new Object[n];
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      result(
          "create",
          phase(pool, threads, n, i -> created[i] = kube.create("default", prefix + i, "a")));
      result("get", phase(pool, threads, n, i -> kube.get("default", prefix + i)));
      int lists = Math.max(threads, n / 20);
      result("list", phase(pool, threads, lists, i -> kube.list("default")));
      result("replace", phase(pool, threads, n, i -> kube.replace(created[i], "b")));
      result("delete", phase(pool, threads, n, i -> kube.delete("default", prefix + i)));
    } finally {
      pool.shutdownNow();
    }
    System.out.println("RESULT rss_kb " + peakRssKb());
  }

  /** Runs {@code ops} operations on {@code threads} callers; returns operations per second. */
  private static double phase(ExecutorService pool, int threads, int ops, Op op) throws Exception {
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Future<?>> callers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      callers.add(
          pool.submit(
              () -> {
                for (int i; (i = next.getAndIncrement()) < ops; ) {
                  op.run(i);
                }
                return null;
              }));
    }
    for (Future<?> caller : callers) {
      caller.get();
    }
    return ops / ((System.nanoTime() - start) / 1e9);
  }

  private static void watch(Client client, int count) throws Exception {
    long[] latencies = new long[count];
    long[] received = new long[count];
    long[] firstChange = {Long.MAX_VALUE};
    AtomicInteger events = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    CountDownLatch connected = new CountDownLatch(1);
    client.watch(
        "watch",
        ts -> {
          if (ts == 0) {
            connected.countDown(); // the runner's probe: the watch is live on the server
            return;
          }
          long now = nowMicros();
          int i = events.getAndIncrement();
          if (i < count) {
            latencies[i] = now - ts;
            received[i] = now;
            synchronized (firstChange) {
              firstChange[0] = Math.min(firstChange[0], ts);
            }
            if (i == count - 1) {
              done.countDown();
            }
          }
        });
    if (!connected.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no probe event within 60 s: the watch never went live");
    }
    System.out.println("ready");
    System.out.flush();
    boolean all = done.await(30, TimeUnit.SECONDS);
    int got = Math.min(events.get(), count);
    long[] sorted = Arrays.copyOf(latencies, got);
    Arrays.sort(sorted);
    result("received", got);
    if (got > 1) {
      // From the first change made to the last one delivered: what the watch sustains end to end.
      long last = Arrays.stream(received, 0, got).max().orElse(0);
      result("events_per_s", got / ((last - firstChange[0]) / 1e6));
      result("latency_p50_us", percentile(sorted, 0.50));
      result("latency_p90_us", percentile(sorted, 0.90));
      result("latency_p99_us", percentile(sorted, 0.99));
      result("latency_max_us", sorted[got - 1]);
    }
    if (!all) {
      System.out.println("RESULT timed_out 1");
    }
  }

  /** The nearest-rank percentile of sorted values. */
  public static long percentile(long[] sorted, double fraction) {
    int rank = (int) Math.ceil(sorted.length * fraction);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static void result(String name, double value) {
    System.out.println("RESULT " + name + " " + value);
  }

  /** VmHWM: the most resident memory this process has had, in KiB (Linux); -1 elsewhere. */
  public static long peakRssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
