package dev.devkube.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallHelpersTest {
  @Test
  void durationsReadLikeAPersonWritesThem() {
    assertThat(Durations.format(Duration.ofMinutes(20))).isEqualTo("20m");
    assertThat(Durations.format(Duration.ofSeconds(80))).isEqualTo("1m20s");
    assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2.5s");
    assertThat(Durations.format(Duration.ofMillis(150))).isEqualTo("150ms");
    assertThat(Durations.format(Duration.ofHours(1).plusSeconds(5))).isEqualTo("1h5s");
  }

  @Test
  void nearestSlugsComeByEditDistance() {
    assertThat(Slugs.nearest("sfo9", List.of("nyc1", "sfo2", "ams3", "sfo3"), 2))
        .containsExactly("sfo2", "sfo3");
    assertThat(Slugs.nearest("x", List.of("a"), 5)).containsExactly("a");
    assertThat(Slugs.distance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void dnsNamesFollowRfc1123() {
    assertThat(Validation.requireDnsSubdomain("name", "nfs.example-1")).isEqualTo("nfs.example-1");
    assertThatThrownBy(() -> Validation.requireDnsSubdomain("Service name", "Web_Service"))
        .hasMessage(
            "Service name \"Web_Service\" is not a DNS subdomain: use up to 253 lower-case"
                + " letters, digits, '-' and '.', starting and ending with a letter or digit");
    assertThatThrownBy(() -> Validation.requireDnsLabel("name", null))
        .hasMessageStartingWith("name null is not a DNS label");
    assertThatThrownBy(() -> Validation.requireNonBlank("token", null))
        .hasMessage("token is null: give a non-empty value");
  }
}
