package dev.devkube.recipes;

import dev.devkube.DevkubeException;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.LogOptions;
import dev.devkube.k8s.LogStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Every part's logs in one: {@link DevEnvironment#logs()} merges what the pods wrote in time order,
 * {@link DevEnvironment#followLogs} passes on new lines as they come. Each line starts with its
 * part, as {@code web | GET / 200}.
 */
public final class EnvironmentLogs implements AutoCloseable {
  private final List<LogStream> streams = new CopyOnWriteArrayList<>();
  private final List<Thread> readers = new ArrayList<>();

  private EnvironmentLogs() {}

  private record Line(Instant time, int order, String text) {}

  private static String prefix(Part part) {
    return String.format("%-8s | ", part.name().toLowerCase(Locale.ROOT));
  }

  static String merged(DevEnvironment env, KubeClient kube, int tailLines) {
    List<Line> lines = new ArrayList<>();
    for (Part part : Part.values()) {
      for (KubeObject pod : env.pods(part)) {
        if (pod.getString("status.startTime") == null) {
          continue; // not started: no log yet
        }
        String text =
            kube.pod(env.namespace(), Objects.requireNonNull(pod.name()))
                .logs(LogOptions.all().timestamps(true).tailLines(tailLines));
        for (String line : text.split("\n", -1)) {
          if (line.isEmpty()) {
            continue;
          }
          int space = line.indexOf(' ');
          Instant time = Instant.EPOCH;
          String rest = line;
          if (space > 0) {
            try {
              time = Instant.parse(line.substring(0, space));
              rest = line.substring(space + 1);
            } catch (DateTimeParseException e) {
              // a line without its time: kept, first
            }
          }
          lines.add(new Line(time, lines.size(), prefix(part) + rest));
        }
      }
    }
    lines.sort(Comparator.comparing(Line::time).thenComparingInt(Line::order));
    StringBuilder out = new StringBuilder();
    lines.forEach(l -> out.append(l.text()).append('\n'));
    return out.toString();
  }

  static EnvironmentLogs follow(
      DevEnvironment env, KubeClient kube, int tailLines, Consumer<String> sink) {
    EnvironmentLogs logs = new EnvironmentLogs();
    Object lock = new Object();
    for (Part part : Part.values()) {
      for (KubeObject pod : env.pods(part)) {
        LogStream stream;
        try {
          stream =
              kube.pod(env.namespace(), Objects.requireNonNull(pod.name()))
                  .followLogs(LogOptions.all().tailLines(tailLines));
        } catch (DevkubeException e) {
          synchronized (lock) {
            sink.accept(prefix(part) + "(no log: " + e.getMessage() + ")");
          }
          continue;
        }
        logs.streams.add(stream);
        Thread reader =
            new Thread(
                () -> {
                  try {
                    for (String line; (line = stream.readLine()) != null; ) {
                      synchronized (lock) {
                        sink.accept(prefix(part) + line);
                      }
                    }
                  } catch (DevkubeException e) {
                    synchronized (lock) {
                      sink.accept(prefix(part) + "(log cut: " + e.getMessage() + ")");
                    }
                  }
                },
                "devkube-logs-" + pod.name());
        reader.setDaemon(true);
        reader.start();
        logs.readers.add(reader);
      }
    }
    return logs;
  }

  /** Waits (up to {@code millis}) for every followed log to end; true when they all have. */
  public boolean awaitEnd(long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    for (Thread reader : readers) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      reader.join(left);
      if (reader.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** Stops following. */
  @Override
  public void close() {
    streams.forEach(LogStream::close);
  }
}
