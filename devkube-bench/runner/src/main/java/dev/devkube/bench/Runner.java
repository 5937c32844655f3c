package dev.devkube.bench;

import dev.devkube.ProgressListener;
import dev.devkube.digitalocean.ProvisioningProbe;
import dev.devkube.k8s.KubeClient;
import dev.devkube.recipes.DevEnvironment;
import dev.devkube.testkit.ApiRequest;
import dev.devkube.testkit.FakeKubernetes;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Runs every measurement of the benchmark and writes {@code RESULTS.md}: footprint, start-up,
 * throughput and watch for devkube-k8s, fabric8 and the official client (each in its own JVM with
 * its own class path, runs alternated between clients), then deploy and provisioning cost,
 * in-process on the fakes. Options as system properties: {@code bench.rounds} (start-up runs per
 * client and mode, default 15), {@code bench.n} (ConfigMaps per throughput run, default 400),
 * {@code bench.events} (watch events, default 2000).
 */
public final class Runner {
  private static final Path BENCH =
      Path.of(System.getProperty("bench.dir", "devkube-bench")).toAbsolutePath().normalize();
  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXN0a2V5dGVzdGtleXRlc3RrZXl0ZXN0a2V5MTI= bench@devkube";

  /** One client's application: its module, main class and runtime class path. */
  record App(String label, String module, String mainClass) {
    List<Path> classpath() throws IOException {
      List<Path> paths = new ArrayList<>();
      for (String entry :
          Files.readString(BENCH.resolve(module).resolve("target/classpath.txt"))
              .strip()
              .split(Pattern.quote(File.pathSeparator), -1)) {
        if (!entry.isBlank()) {
          paths.add(Path.of(entry));
        }
      }
      return paths;
    }

    /**
     * The class path every client JVM runs with: the app's packaged jar, then its dependencies'
     * jars, as an application ships (and as Class Data Sharing needs: jars only).
     */
    String jarPath() throws IOException {
      List<String> entries = new ArrayList<>();
      try (java.util.stream.Stream<Path> files =
          Files.list(BENCH.resolve(module).resolve("target"))) {
        entries.add(
            files
                .filter(f -> f.getFileName().toString().matches(".*-SNAPSHOT\\.jar|.*[0-9]\\.jar"))
                .findFirst()
                .orElseThrow(() -> new IOException("no packaged jar in " + module + "/target"))
                .toString());
      }
      for (Path path : classpath()) {
        entries.add(path.toString());
      }
      return String.join(File.pathSeparator, entries);
    }
  }

  private static final App DEVKUBE =
      new App("devkube-k8s", "app-devkube", "dev.devkube.bench.DevkubeApp");
  private static final App FABRIC8 =
      new App("fabric8", "app-fabric8", "dev.devkube.bench.Fabric8App");
  private static final App OFFICIAL =
      new App("official client-java", "app-official", "dev.devkube.bench.OfficialApp");

  /** What a plain OkHttp + Moshi + JDK program does: the floor start-up and throughput face. */
  private static final App FLOOR =
      new App("floor (OkHttp + Moshi)", "app-floor", "dev.devkube.bench.FloorApp");

  static final List<App> CLIENTS = List.of(DEVKUBE, FABRIC8, OFFICIAL);

  /** Start-up and throughput also run the floor program; it has no watch. */
  private static final List<App> WITH_FLOOR = List.of(DEVKUBE, FABRIC8, OFFICIAL, FLOOR);

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Runner.class);

  private final StringBuilder md = new StringBuilder();
  private final Path work;

  private Runner() throws IOException {
    work = Files.createTempDirectory("devkube-bench");
  }

  public static void main(String[] args) throws Exception {
    new Runner().run();
    System.exit(0);
  }

  private void run() throws Exception {
    int rounds = Integer.getInteger("bench.rounds", 15);
    int n = Integer.getInteger("bench.n", 400);
    int events = Integer.getInteger("bench.events", 2000);
    long start = System.nanoTime();
    List<String> only =
        List.of(
            System.getProperty(
                    "bench.only", "footprint,startup,throughput,watch,deploy,provisioning")
                .split(","));
    header();
    if (only.contains("footprint")) {
      footprint();
    }
    if (only.contains("startup")) {
      startup(rounds);
    }
    if (only.contains("throughput")) {
      throughput(n, 3);
    }
    if (only.contains("watch")) {
      new WatchBench(md, work).run(events, 3);
    }
    if (only.contains("deploy")) {
      deploy(5);
    }
    if (only.contains("provisioning")) {
      provisioning();
    }
    md.append("\nThe whole run took ")
        .append(Math.round((System.nanoTime() - start) / 1e9))
        .append(" s.\n");
    Path results = BENCH.resolve(only.size() == 6 ? "RESULTS.md" : "target/RESULTS-partial.md");
    Files.createDirectories(results.getParent());
    Files.writeString(results, md.toString());
    log("wrote " + results);
  }

  static void log(String line) {
    LOG.info(line);
  }

  private void header() throws IOException {
    md.append("# devkube-bench results\n\n");
    md.append("Written by `devkube-bench/run` on ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append(". Medians, with min-max in brackets;")
        .append(
            " ratios are the client's figure over devkube-k8s's, from the same run. Every client ran alternately")
        .append(
            " against the same FakeKubernetes (HTTPS, RSA 2048 client certificates, on loopback; fabric8 reads EC keys only"
                + " with Bouncy Castle).\n\n");
    md.append("| | |\n| --- | --- |\n");
    md.append("| machine | ")
        .append(cpu())
        .append(", ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores, ")
        .append(memory())
        .append(", ")
        .append(System.getProperty("os.name"))
        .append(' ')
        .append(System.getProperty("os.version"))
        .append(" |\n");
    md.append("| JDK | ")
        .append(System.getProperty("java.vm.name"))
        .append(' ')
        .append(System.getProperty("java.runtime.version"))
        .append(" (default flags) |\n");
    md.append("| versions | devkube ")
        .append(version(DEVKUBE, "devkube-k8s"))
        .append(", fabric8 kubernetes-client ")
        .append(version(FABRIC8, "kubernetes-client"))
        .append(", official client-java ")
        .append(version(OFFICIAL, "client-java"))
        .append(" |\n");
  }

  private static String version(App app, String artifact) throws IOException {
    for (Path path : app.classpath()) {
      String file = path.getFileName().toString();
      if (file.startsWith(artifact + "-")
          && file.endsWith(".jar")
          && Character.isDigit(file.charAt(artifact.length() + 1))) {
        return file.substring(artifact.length() + 1, file.length() - 4);
      }
    }
    return "?";
  }

  private static String cpu() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException e) {
      return System.getProperty("os.arch");
    }
    return System.getProperty("os.arch");
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Math.round(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)
              + " GiB";
        }
      }
    } catch (IOException e) {
      return "? GiB";
    }
    return "? GiB";
  }

  // 1. Footprint -----------------------------------------------------------------------------

  private void footprint() throws IOException {
    log("footprint");
    md.append(
        "\n## 1. Footprint\n\nThe runtime jars a one-dependency application pulls in (Maven, runtime scope).\n\n");
    md.append(
        "| application depends on | jars | size | vs devkube-k8s |\n| --- | ---: | ---: | ---: |\n");
    App recipes = new App("devkube-recipes", "app-recipes", "");
    long base = 0;
    for (App app : List.of(DEVKUBE, recipes, FABRIC8, OFFICIAL)) {
      int jars = 0;
      long bytes = 0;
      for (Path path : app.classpath()) {
        if (path.getFileName().toString().startsWith("devkube-bench-common")) {
          continue; // the workload itself, not the client
        }
        jars++;
        bytes += Files.size(path);
      }
      base = base == 0 ? bytes : base;
      md.append("| ")
          .append(app.label())
          .append(" | ")
          .append(jars)
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0))
          .append(" | ")
          .append(String.format(Locale.ROOT, "%.1fx", (double) bytes / base))
          .append(" |\n");
    }
  }

  // 2. Start-up ------------------------------------------------------------------------------

  /** How a start-up JVM runs: plain, with an AppCDS archive, and with the archive and C1 only. */
  private enum Mode {
    PLAIN,
    CDS,
    CDS_C1
  }

  private void startup(int rounds) throws Exception {
    log("start-up, " + rounds + " runs per client and mode");
    Map<App, Map<Mode, List<Double>>> millis = new LinkedHashMap<>();
    try (FakeKubernetes cluster = FakeKubernetes.builder().rsaClientKey().start()) {
      Path kubeconfig = Files.writeString(work.resolve("startup.kubeconfig"), cluster.kubeconfig());
      // One training run per client writes its dynamic AppCDS archive (JDK 13+).
      Map<App, Path> archives = new LinkedHashMap<>();
      for (App app : WITH_FLOOR) {
        Path archive = work.resolve(app.module() + ".jsa");
        Files.deleteIfExists(archive);
        Child child =
            Child.start(
                app,
                work,
                List.of("-XX:ArchiveClassesAtExit=" + archive),
                app.jarPath(),
                "startup",
                kubeconfig.toString());
        child.awaitLine("listed", Duration.ofSeconds(60));
        child.finish(Duration.ofSeconds(60));
        archives.put(app, archive);
      }
      for (int round = 0; round < rounds; round++) {
        for (App app : rotate(WITH_FLOOR, round)) {
          for (Mode mode : Mode.values()) {
            List<String> options =
                switch (mode) {
                  case PLAIN -> List.of();
                  case CDS -> List.of("-XX:SharedArchiveFile=" + archives.get(app));
                  case CDS_C1 ->
                      List.of(
                          "-XX:SharedArchiveFile=" + archives.get(app), "-XX:TieredStopAtLevel=1");
                };
            long begin = System.nanoTime();
            Child child =
                Child.start(app, work, options, app.jarPath(), "startup", kubeconfig.toString());
            child.awaitLine("listed", Duration.ofSeconds(60));
            millis
                .computeIfAbsent(app, a -> new java.util.EnumMap<>(Mode.class))
                .computeIfAbsent(mode, m -> new ArrayList<>())
                .add((System.nanoTime() - begin) / 1e6);
            child.finish(Duration.ofSeconds(30));
          }
        }
      }
    }
    md.append(
            "\n## 2. Start-up\n\nFrom starting a fresh JVM to the first answer of a list call (load the kubeconfig,")
        .append(" build the client, list ConfigMaps), ")
        .append(rounds)
        .append(
            " runs per client and mode, the clients and modes alternating, every JVM with the same jars an")
        .append(
            " application ships (the app's jar, then its dependencies' jars). AppCDS: the JVM maps the classes a training run of")
        .append(
            " the same program archived (`-XX:ArchiveClassesAtExit`, then `-XX:SharedArchiveFile`); + C1: also")
        .append(
            " `-XX:TieredStopAtLevel=1`. See [docs/performance.md](../docs/performance.md).\n\n");
    md.append("| client | ms | vs devkube-k8s | vs floor | AppCDS ms | AppCDS + C1 ms |")
        .append(" AppCDS + C1 vs plain |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    double base = Stats.median(millis.get(DEVKUBE).get(Mode.PLAIN));
    double floor = Stats.median(millis.get(FLOOR).get(Mode.PLAIN));
    for (App app : WITH_FLOOR) {
      Map<Mode, List<Double>> values = millis.get(app);
      double plain = Stats.median(values.get(Mode.PLAIN));
      md.append("| ")
          .append(app.label())
          .append(" | ")
          .append(Stats.format(values.get(Mode.PLAIN), 0))
          .append(" | ")
          .append(ratio(plain, base))
          .append(" | ")
          .append(ratio(plain, floor))
          .append(" | ")
          .append(Stats.format(values.get(Mode.CDS), 0))
          .append(" | ")
          .append(Stats.format(values.get(Mode.CDS_C1), 0))
          .append(" | ")
          .append(ratio(Stats.median(values.get(Mode.CDS_C1)), plain))
          .append(" |\n");
    }
    // Runs of one round are seconds apart: their ratio is free of the machine's slower drifts.
    List<Double> paired = new ArrayList<>();
    List<Double> devkube = millis.get(DEVKUBE).get(Mode.PLAIN);
    List<Double> floors = millis.get(FLOOR).get(Mode.PLAIN);
    for (int round = 0; round < rounds; round++) {
      paired.add(devkube.get(round) / floors.get(round));
    }
    md.append("\ndevkube-k8s over the floor, round by round (the two plain runs of a round): ")
        .append(Stats.format(paired, 2))
        .append(".\n");
  }

  static List<App> rotate(int round) {
    return rotate(CLIENTS, round);
  }

  private static List<App> rotate(List<App> apps, int round) {
    List<App> order = new ArrayList<>(apps);
    java.util.Collections.rotate(order, round);
    return order;
  }

  private static String ratio(double value, double base) {
    return String.format(Locale.ROOT, "%.2fx", value / base);
  }

  // 3. Throughput ----------------------------------------------------------------------------

  private void throughput(int n, int rounds) throws Exception {
    String[] verbs = {"create", "get", "list", "replace", "delete"};
    md.append("\n## 3. Throughput\n\nOperations per second on ")
        .append(n)
        .append(" ConfigMaps (list: ")
        .append(Math.max(4, n / 20))
        .append(" lists of all of them), ")
        .append(rounds)
        .append(
            " runs per client and caller count, each in a fresh JVM; peak RSS is the JVM's VmHWM at the end.\n");
    try (FakeKubernetes cluster = FakeKubernetes.builder().rsaClientKey().start()) {
      Path kubeconfig =
          Files.writeString(work.resolve("throughput.kubeconfig"), cluster.kubeconfig());
      for (int threads : new int[] {1, 4}) {
        log("throughput, " + threads + " caller(s)");
        Map<App, Map<String, List<Double>>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
          for (App app : rotate(WITH_FLOOR, round)) {
            Child child =
                Child.start(
                    app,
                    work,
                    "throughput",
                    kubeconfig.toString(),
                    String.valueOf(n),
                    String.valueOf(threads));
            Map<String, Double> values = child.finish(Duration.ofMinutes(5));
            log("  " + app.label() + ": " + values);
            values.forEach(
                (key, value) ->
                    results
                        .computeIfAbsent(app, a -> new TreeMap<>())
                        .computeIfAbsent(key, k -> new ArrayList<>())
                        .add(value));
          }
        }
        md.append("\n")
            .append(threads == 1 ? "Sequential (1 caller)" : threads + " concurrent callers")
            .append(
                ", ops/s (in parentheses after each: the figure over the floor program's):\n\n| client |");
        for (String verb : verbs) {
          md.append(' ').append(verb).append(" |");
        }
        md.append(" peak RSS MiB |\n| --- |")
            .append(" ---: |".repeat(verbs.length + 1))
            .append('\n');
        for (App app : WITH_FLOOR) {
          Map<String, List<Double>> values = results.get(app);
          md.append("| ").append(app.label()).append(" |");
          for (String verb : verbs) {
            md.append(' ')
                .append(Stats.format(values.get(verb), 0))
                .append(" (")
                .append(
                    ratio(
                        Stats.median(values.get(verb)), Stats.median(results.get(FLOOR).get(verb))))
                .append(") |");
          }
          md.append(' ')
              .append(Stats.format(values.get("rss_kb").stream().map(kb -> kb / 1024).toList(), 0))
              .append(" |\n");
        }
      }
    }
  }

  // 5. The dev environment -------------------------------------------------------------------

  private void deploy(int rounds) throws Exception {
    log("deploy, " + rounds + " runs");
    md.append(
            "\n## 5. Deploying the development environment\n\nInto FakeKubernetes with no simulated pod start")
        .append(" delay, in the runner's JVM, ")
        .append(rounds)
        .append(" runs each. Reaction is from the NFS")
        .append(
            " Deployment turning available on the server to the first dependent (sshd) existing there: what")
        .append(
            " a watch-based wait gives (the original polled every 3 s). Requests are every request the fake")
        .append(
            " received, by verb (WATCH: a GET with watch=true); no discovery requests, as devkube knows the")
        .append(" built-in kinds.\n\n");
    md.append("| environment | wall ms | reaction ms | requests |\n| --- | ---: | ---: | --- |\n");
    for (boolean full : new boolean[] {false, true}) {
      List<Double> wall = new ArrayList<>();
      List<Double> reaction = new ArrayList<>();
      Map<String, List<Double>> verbs = new TreeMap<>();
      for (int round = 0; round < rounds; round++) {
        try (FakeKubernetes cluster =
                FakeKubernetes.builder()
                    .storageClasses("do-block-storage")
                    .rsaClientKey()
                    .podStartDelay(Duration.ZERO)
                    .start();
            KubeClient kube = KubeClient.connect(cluster.credentials())) {
          Reaction watcher = new Reaction(cluster);
          watcher.start();
          DevEnvironment.Builder environment = DevEnvironment.in(kube).sshKeys(KEY);
          if (full) {
            environment.ide().toolbox().postgres().redis();
          }
          long begin = System.nanoTime();
          environment.deploy(ProgressListener.none());
          wall.add((System.nanoTime() - begin) / 1e6);
          watcher.stop();
          reaction.add(watcher.millis());
          Map<String, Integer> counts = new TreeMap<>();
          for (ApiRequest request : cluster.requests()) {
            String verb = request.query().contains("watch=true") ? "WATCH" : request.method();
            counts.merge(verb, 1, Integer::sum);
          }
          counts.forEach(
              (verb, count) ->
                  verbs.computeIfAbsent(verb, v -> new ArrayList<>()).add(count.doubleValue()));
        }
      }
      StringBuilder requests = new StringBuilder();
      verbs.forEach(
          (verb, counts) ->
              requests
                  .append(requests.length() == 0 ? "" : ", ")
                  .append(verb)
                  .append(' ')
                  .append(Stats.format(counts, 0)));
      md.append("| ")
          .append(full ? "NFS, ssh, web, IDE, toolbox, Postgres, Redis" : "NFS, ssh, web")
          .append(" | ")
          .append(Stats.format(wall, 0))
          .append(" | ")
          .append(Stats.format(reaction, 1))
          .append(" | ")
          .append(requests)
          .append(" |\n");
    }
  }

  // 6. Provisioning --------------------------------------------------------------------------

  private void provisioning() {
    log("provisioning (simulated time)");
    Duration provisioning = Duration.ofMinutes(5);
    ProvisioningProbe.Result result = ProvisioningProbe.run(provisioning);
    md.append(
            "\n## 6. Provisioning\n\n`awaitRunning` against FakeDigitalOcean with a 5-minute provisioning on")
        .append(
            " simulated time (the provider's waits and the fake's clock share one manual clock).\n\n");
    md.append(
            "| requests while waiting | busiest minute | DigitalOcean's limit | running -> awaitRunning returned |\n")
        .append("| ---: | ---: | ---: | ---: |\n");
    md.append("| ")
        .append(result.requests())
        .append(" | ")
        .append(result.busiestMinute())
        .append(" | 250/minute | ")
        .append(String.format(Locale.ROOT, "%.1f s", result.delay().toMillis() / 1000.0))
        .append(" |\n");
  }
}
