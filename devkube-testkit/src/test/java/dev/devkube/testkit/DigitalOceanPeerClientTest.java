package dev.devkube.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * FakeDigitalOcean driven by dots-wrapper, a DigitalOcean client from npm that no one here wrote
 * (pinned in {@code src/test/node/package.json}). Runs with the machine's Node.js when it and the
 * installed package are there ({@code .ci/run} installs them with {@code npm ci}); skipped, saying
 * why, when not.
 */
class DigitalOceanPeerClientTest {
  private static final Path DRIVER = Path.of("src/test/node/drive-fake-digitalocean.cjs");
  private static final Path INSTALLED = Path.of("src/test/node/node_modules/dots-wrapper");

  private static boolean nodeRuns() {
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void anIndependentClientFindsTheFakeAsDigitalOceanIs() throws Exception {
    assumeTrue(nodeRuns(), "Node.js is not installed: the npm client cannot run");
    assumeTrue(
        Files.isDirectory(INSTALLED),
        "dots-wrapper is not installed: run npm ci in devkube-testkit/src/test/node");
    try (FakeDigitalOcean fake =
        FakeDigitalOcean.builder().provisioningTime(Duration.ZERO).start()) {
      Process node =
          new ProcessBuilder("node", DRIVER.toString(), fake.url() + "v2", FakeDigitalOcean.TOKEN)
              .redirectErrorStream(true)
              .start();
      String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).as("the driver ended").isTrue();
      assertThat(node.exitValue()).as(output).isZero();
      List<String> lines = output.lines().toList();

      assertThat(lines)
          .as(output)
          .containsExactly(
              "account ok active",
              "options ok 3",
              "create ok running",
              "get ok peer",
              "list ok 1",
              "pool-without-count error 422 node pool count must be at least 1",
              "get-after-bad-pool ok 200",
              "pool-add ok 1",
              "pool-update ok 2 2 {\"tier\":\"db\"}",
              "pool-get ok more",
              "pools ok 2",
              "node-replace ok 202",
              "credentials ok true",
              "upgrades ok 200",
              "upgrade-unknown error 422 version 9.99.0-do.0 is not an available upgrade for this"
                  + " cluster; available: []",
              "pool-delete ok 204",
              "delete ok 204",
              "get-deleted error 404 The resource you were accessing could not be found.");
    }
  }
}
