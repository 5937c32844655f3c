package dev.devkube.examples;

import dev.devkube.Progress;
import dev.devkube.ProgressListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Progress of a wait as people read it. On a terminal: one line, rewritten five times a second,
 * whose elapsed time moves with the clock between the server's answers (which may be 15 s apart),
 * with the state, the server's message and how many nodes are ready. Elsewhere (a log, a pipe): a
 * plain line when something changes, and one a minute while nothing does.
 */
final class ProgressDisplay implements ProgressListener, AutoCloseable {
  private static final char[] SPINNER = {'|', '/', '-', '\\'};
  private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final PrintStream out;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final @Nullable ScheduledExecutorService ticker;
  private @Nullable Progress last;
  private long lastAt;
  private @Nullable String lastPlain;
  private long lastPlainAt;
  private int ticks;
  private int width;
  private boolean closed;

  ProgressDisplay(PrintStream out, boolean terminal, LongSupplier nanoTime) {
    this(out, terminal, nanoTime, null);
  }

  private ProgressDisplay(
      PrintStream out,
      boolean terminal,
      LongSupplier nanoTime,
      @Nullable ScheduledExecutorService ticker) {
    this.out = out;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
    this.ticker = ticker;
  }

  /** A display on {@code out} that ticks by itself when {@code terminal}. */
  static ProgressDisplay start(PrintStream out, boolean terminal) {
    if (!terminal) {
      return new ProgressDisplay(out, false, System::nanoTime);
    }
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "devkube-progress");
              thread.setDaemon(true);
              return thread;
            });
    ProgressDisplay display = new ProgressDisplay(out, true, System::nanoTime, ticker);
    ScheduledFuture<?> unused =
        ticker.scheduleAtFixedRate(display::tick, 200, 200, TimeUnit.MILLISECONDS);
    return display;
  }

  @Override
  public synchronized void progress(Progress progress) {
    last = Objects.requireNonNull(progress, "progress");
    lastAt = nanoTime.getAsLong();
    if (terminal) {
      draw();
      return;
    }
    String state =
        progress.awaited() + progress.describeState() + progress.ready() + "/" + progress.total();
    if (!state.equals(lastPlain) || lastAt - lastPlainAt >= QUIET_NANOS) {
      out.println("  " + progress);
      lastPlain = state;
      lastPlainAt = lastAt;
    }
  }

  /** Redraws the terminal line with the time elapsed by now; the ticker calls it. */
  synchronized void tick() {
    if (terminal && last != null && !closed) {
      draw();
    }
  }

  private void draw() {
    Progress seen = Objects.requireNonNull(last);
    Duration since = Duration.ofNanos(Math.max(0, nanoTime.getAsLong() - lastAt));
    Progress now =
        new Progress(
            seen.awaited(),
            seen.state(),
            seen.message(),
            seen.ready(),
            seen.total(),
            Duration.ofSeconds(seen.elapsed().plus(since).toSeconds()));
    String line = SPINNER[ticks++ % SPINNER.length] + " " + now;
    out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    out.flush();
    width = line.length();
  }

  /** Stops ticking and ends the terminal line. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (terminal && width > 0) {
        out.println();
        width = 0;
      }
    }
    if (ticker != null) {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
