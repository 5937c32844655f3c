package dev.devkube.k8s;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Which logs of a pod to read: the container (needed when the pod has several), the last lines
 * only, those since a time, with timestamps, or the previous (crashed) instance.
 *
 * <pre>{@code
 * String recent = kube.pod("dev", "nfs-7c9").logs(LogOptions.all().tailLines(50));
 * }</pre>
 *
 * @param container the container, or null for the pod's only one
 * @param tailLines how many of the last lines, or null for all
 * @param since how far back, or null for all
 * @param timestamps whether each line starts with its RFC 3339 time
 * @param previous whether to read the previous instance of a restarted container
 */
public record LogOptions(
    @Nullable String container,
    @Nullable Integer tailLines,
    @Nullable Duration since,
    boolean timestamps,
    boolean previous) {

  public LogOptions {
    if (tailLines != null && tailLines < 0) {
      throw new IllegalArgumentException("tailLines " + tailLines + " is negative");
    }
    if (since != null && (since.isNegative() || since.isZero())) {
      throw new IllegalArgumentException("since " + since + " is not positive");
    }
  }

  /** Every line of the pod's only container. */
  public static LogOptions all() {
    return new LogOptions(null, null, null, false, false);
  }

  /** The container whose log to read (default: the pod's only one). */
  public LogOptions container(String container) {
    return new LogOptions(container, tailLines, since, timestamps, previous);
  }

  /** Only the last {@code lines} lines. */
  public LogOptions tailLines(int lines) {
    return new LogOptions(container, lines, since, timestamps, previous);
  }

  /** Only lines written in the last {@code duration}. */
  public LogOptions since(Duration duration) {
    return new LogOptions(container, tailLines, duration, timestamps, previous);
  }

  /** Each line prefixed with the time it was written. */
  public LogOptions timestamps(boolean on) {
    return new LogOptions(container, tailLines, since, on, previous);
  }

  /** The log of the container's previous run (after a restart). */
  public LogOptions previous(boolean on) {
    return new LogOptions(container, tailLines, since, timestamps, on);
  }

  String[] query(boolean follow) {
    return new String[] {
      "container", container,
      "tailLines", tailLines == null ? null : tailLines.toString(),
      "sinceSeconds", since == null ? null : String.valueOf(Math.max(1, since.toSeconds())),
      "timestamps", timestamps ? "true" : null,
      "previous", previous ? "true" : null,
      "follow", follow ? "true" : null
    };
  }
}
