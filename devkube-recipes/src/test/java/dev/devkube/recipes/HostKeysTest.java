package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostKeysTest {
  @TempDir Path dir;

  @Test
  void theKeyIsOpenSshsOwnFormatAndItsFingerprintIsSsh() {
    HostKeys.Generated key = HostKeys.generate("devkube-test");

    assertThat(key.publicKey())
        .startsWith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI")
        .endsWith(" devkube-test");
    String body =
        key.privateKey()
            .replace("-----BEGIN OPENSSH PRIVATE KEY-----", "")
            .replace("-----END OPENSSH PRIVATE KEY-----", "")
            .replace("\n", "");
    byte[] file = Base64.getDecoder().decode(body);
    assertThat(new String(file, 0, 15, StandardCharsets.US_ASCII)).isEqualTo("openssh-key-v1\0");
    assertThat(key.privateKey().lines())
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(70));
    assertThat(HostKeys.fingerprint(key.publicKey())).startsWith("SHA256:").hasSize(50);
    assertThat(key.toString()).doesNotContain("PRIVATE");
    assertThat(HostKeys.generate("devkube-test").publicKey()).isNotEqualTo(key.publicKey());
  }

  @Test
  void knownHostsNameEveryAddressOnTheNodePortAndTheToolboxByName() {
    String key = HostKeys.generate("c").publicKey();
    String bare = key.substring(0, key.lastIndexOf(' '));

    assertThat(
            HostKeys.knownHosts(
                key,
                List.of("203.0.113.7", "203.0.113.8"),
                30022,
                List.of("toolbox-service.ns.svc")))
        .containsExactly(
            "[203.0.113.7]:30022,[203.0.113.8]:30022 " + bare, "toolbox-service.ns.svc " + bare);
    assertThat(HostKeys.knownHosts(key, List.of("10.0.0.1"), 22, List.of()))
        .containsExactly("10.0.0.1 " + bare);
  }

  /**
   * ssh-keygen reads the private key, derives the same public key and prints the same fingerprint.
   */
  @Test
  void sshKeygenAgrees() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/ssh-keygen")),
        "ssh-keygen is not installed here (openssh-client): the format is checked above only");
    HostKeys.Generated key = HostKeys.generate("devkube-test");
    Path file = dir.resolve("key");
    Files.writeString(file, key.privateKey());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThat(run("/usr/bin/ssh-keygen", "-y", "-f", file.toString()).strip())
        .isEqualTo(key.publicKey());
    Path pub = dir.resolve("key.pub");
    Files.writeString(pub, key.publicKey() + "\n");
    assertThat(run("/usr/bin/ssh-keygen", "-l", "-f", pub.toString()))
        .contains(HostKeys.fingerprint(key.publicKey()));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }
}
