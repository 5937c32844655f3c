package dev.devkube;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives progress reports from a wait, once each time the awaited thing is checked.
 *
 * <pre>{@code
 * cluster.awaitRunning(Duration.ofMinutes(20), progress -> statusLine.setText(progress.toString()));
 * }</pre>
 */
@FunctionalInterface
public interface ProgressListener {
  /** Called after each check that did not end the wait. */
  void progress(Progress progress);

  /** Logs each report at INFO to the SLF4J logger {@code dev.devkube.progress}. */
  static ProgressListener toLog() {
    Logger log = LoggerFactory.getLogger("dev.devkube.progress");
    return progress -> log.info("waiting for {}", progress);
  }

  /** Ignores every report. */
  static ProgressListener none() {
    return progress -> {};
  }
}
