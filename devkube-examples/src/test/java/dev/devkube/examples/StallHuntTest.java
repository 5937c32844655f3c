package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.testkit.FakeDigitalOcean;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StallHuntTest {
  @TempDir Path tmp;

  @Test
  void hunt() throws Exception {
    Path key = Files.writeString(tmp.resolve("id.pub"), Keys.ED25519 + "\n");
    for (int i = 0; i < Integer.getInteger("rounds", 30); i++) {
      try (FakeDigitalOcean cloud =
          FakeDigitalOcean.builder().provisioningTime(Duration.ofMillis(500)).start()) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli.Io io =
            new Cli.Io(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new BufferedReader(new StringReader("y\n")),
                Map.of("DIGITALOCEAN_ACCESS_TOKEN", FakeDigitalOcean.TOKEN),
                false);
        Thread watchdog =
            new Thread(
                () -> {
                  try {
                    Thread.sleep(45_000);
                    StringBuilder dump = new StringBuilder();
                    Thread.getAllStackTraces()
                        .forEach(
                            (t, stack) -> {
                              dump.append("\n\"").append(t.getName()).append("\" ")
                                  .append(t.getState()).append('\n');
                              for (StackTraceElement e : stack) {
                                dump.append("    at ").append(e).append('\n');
                              }
                            });
                    Files.writeString(Path.of("/tmp/stall-dump.txt"), dump);
                  } catch (Exception e) {
                    // ended
                  }
                });
        watchdog.setDaemon(true);
        watchdog.start();
        Path dir = tmp.resolve("d" + i);
        int code =
            Demo.run(
                new String[] {"--ssh-key", key.toString(), "--ssh-only", "--api-url",
                  cloud.url().toString(), "--dir", dir.toString(), "--timeout", "1"},
                io);
        watchdog.interrupt();
        System.out.println("round " + i + " exit " + code);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
      }
    }
  }
}
