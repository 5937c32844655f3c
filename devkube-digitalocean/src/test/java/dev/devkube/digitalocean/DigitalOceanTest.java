package dev.devkube.digitalocean;

import static dev.devkube.digitalocean.DoServer.cluster;
import static dev.devkube.digitalocean.DoServer.envelope;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

class DigitalOceanTest {
  @Test
  void fromEnvironmentTriesTheThreeVariablesInOrder() {
    assertThat(DigitalOcean.tokenFrom(Map.of("DO_TOKEN", "c", "DIGITALOCEAN_TOKEN", "b")))
        .isEqualTo("b");
    assertThat(DigitalOcean.tokenFrom(Map.of("DO_TOKEN", "c"))).isEqualTo("c");
    assertThat(DigitalOcean.tokenFrom(Map.of("DIGITALOCEAN_ACCESS_TOKEN", "a", "DO_TOKEN", "c")))
        .isEqualTo("a");
    assertThat(DigitalOcean.tokenFrom(Map.of("DIGITALOCEAN_ACCESS_TOKEN", " ", "DO_TOKEN", "c")))
        .isEqualTo("c");
  }

  @Test
  void fromEnvironmentNamesTheVariablesItTried() {
    assertThatThrownBy(() -> DigitalOcean.fromEnvironment(Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "no DigitalOcean token: set one of DIGITALOCEAN_ACCESS_TOKEN, DIGITALOCEAN_TOKEN,"
                + " DO_TOKEN to an API token with the kubernetes scopes");
  }

  @Test
  void badTokensAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> DigitalOcean.builder().token("Bearer dop_v1_secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the DigitalOcean token is empty or contains spaces or control characters: give"
                + " the token alone, as DigitalOcean shows it (dop_v1_...)")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> DigitalOcean.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no DigitalOcean token: call token(...) or use DigitalOcean.fromEnvironment()");
    assertThatThrownBy(() -> DigitalOcean.builder().baseUrl("ftp://x"))
        .hasMessage(
            "base URL \"ftp://x\" is not an http or https URL: use e.g. https://api.digitalocean.com/");
    assertThatThrownBy(() -> DigitalOcean.builder().maxRetries(11))
        .hasMessage("maxRetries 11 is outside 0 to 10");
  }

  @Test
  void toStringShowsTheAddressButNotTheToken() {
    try (DigitalOcean cloud = DigitalOcean.builder().token(DoServer.TOKEN).build()) {
      assertThat(cloud).hasToString("DigitalOcean[https://api.digitalocean.com/]");
      assertThat(cloud.name()).isEqualTo("DigitalOcean");
    }
  }

  @Test
  void aSharedClientKeepsWorkingAfterClose() throws Exception {
    OkHttpClient shared = new OkHttpClient();
    try (DoServer server = new DoServer()) {
      DigitalOcean cloud = server.builder().okHttpClient(shared).build();
      server.enqueue(200, envelope(cluster("c1", "devkube", "running")));
      cloud.clusters().get("c1");
      cloud.close();

      assertThat(shared.dispatcher().executorService().isShutdown()).isFalse();
      assertThat(server.take().getHeaders().get("Authorization"))
          .isEqualTo("Bearer " + DoServer.TOKEN);
    } finally {
      shared.dispatcher().executorService().shutdown();
    }
  }
}
