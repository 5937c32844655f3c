package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void growsToTheCap() {
    Backoff backoff = Backoff.DEFAULT;

    assertThat(backoff.delay(0, 0)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.delay(1, 0)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.delay(2, 0)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.delay(3, 0)).isEqualTo(Duration.ofSeconds(15));
    assertThat(backoff.delay(1000, 0)).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void jitterOnlyShortensAndByAtMostItsFraction() {
    Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 2, 0.2);

    assertThat(backoff.delay(0, 0.5)).isEqualTo(Duration.ofSeconds(9));
    assertThat(backoff.delay(0, 0.999)).isGreaterThan(Duration.ofSeconds(8));
    assertThat(backoff.delay(5, 0)).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2, 0))
        .hasMessage("initial PT0S is not positive");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0))
        .hasMessage("max PT1S is shorter than initial PT2S");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0.5, 0))
        .hasMessage("multiplier 0.5 is below 1");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 2, 1.5))
        .hasMessage("jitter 1.5 is outside 0 to 1");
    assertThatThrownBy(() -> Backoff.DEFAULT.delay(-1, 0)).hasMessage("attempt -1 is negative");
  }
}
