package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress display, driven by a clock the test moves. */
class ProgressDisplayTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private static Progress seen(String state, int ready, Duration elapsed) {
    return new Progress(
        "cluster devkube to be running", state, "creating nodes", ready, 2, elapsed);
  }

  private void advance(long seconds) {
    nanos.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void onATerminalTheElapsedTimeMovesBetweenAnswers() {
    try (ProgressDisplay display = new ProgressDisplay(out, true, nanos::get)) {
      display.progress(seen("provisioning", 0, Duration.ofSeconds(40)));
      assertThat(printed())
          .isEqualTo(
              "\r| cluster devkube to be running: provisioning (creating nodes), 0/2 ready, 40s");

      // No answer for 13 s (polls back off to 15 s): the line still counts.
      advance(6);
      display.tick();
      advance(7);
      display.tick();
      assertThat(printed())
          .contains(
              "\r/ cluster devkube to be running: provisioning (creating nodes), 0/2 ready, 46s")
          .endsWith(
              "\r- cluster devkube to be running: provisioning (creating nodes), 0/2 ready, 53s");

      // The next answer sets state, nodes and time again; a shorter line blanks the longer one.
      display.progress(seen("running", 2, Duration.ofSeconds(55)));
      assertThat(printed())
          .endsWith(
              "\r\\ cluster devkube to be running: running (creating nodes), 2/2 ready, 55s     ");
    }
    assertThat(printed()).endsWith("\n").doesNotContain("\n\r");
  }

  @Test
  void elsewhereAPlainLineWhenSomethingChangesAndOneAMinuteOtherwise() {
    try (ProgressDisplay display = new ProgressDisplay(out, false, nanos::get)) {
      display.tick(); // no ticking in a log
      display.progress(seen("provisioning", 0, Duration.ofSeconds(2)));
      advance(15);
      display.progress(seen("provisioning", 0, Duration.ofSeconds(17)));
      advance(15);
      display.progress(seen("provisioning", 1, Duration.ofSeconds(32)));
      for (int i = 0; i < 4; i++) {
        advance(15);
        display.progress(seen("provisioning", 1, Duration.ofSeconds(47 + 15 * i)));
      }
      display.progress(seen("running", 2, Duration.ofSeconds(95)));
    }
    assertThat(printed())
        .isEqualTo(
            """
              cluster devkube to be running: provisioning (creating nodes), 0/2 ready, 2s
              cluster devkube to be running: provisioning (creating nodes), 1/2 ready, 32s
              cluster devkube to be running: provisioning (creating nodes), 1/2 ready, 1m32s
              cluster devkube to be running: running (creating nodes), 2/2 ready, 1m35s
            """);
  }

  @Test
  void theTickerStopsWhenTheWaitEnds() throws Exception {
    ProgressDisplay display = ProgressDisplay.start(out, true);
    display.progress(seen("provisioning", 0, Duration.ZERO));
    display.close();
    int length = printed().length();
    Thread.sleep(500); // longer than two ticks: nothing more may be drawn
    assertThat(printed()).hasSize(length).endsWith("\n");
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(thread -> thread.getName().equals("devkube-progress") && thread.isAlive());
  }
}
