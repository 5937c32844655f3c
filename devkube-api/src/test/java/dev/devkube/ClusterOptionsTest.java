package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterOptionsTest {
  private final ClusterOptions options =
      new ClusterOptions(
          List.of(
              new ClusterOptions.Region("nyc1", "New York 1"),
              new ClusterOptions.Region("sfo2", "San Francisco 2"),
              new ClusterOptions.Region("sfo3", "San Francisco 3")),
          List.of(
              version("1.31.9-do.3"),
              version("1.32.2-do.0"),
              version("1.31.10-do.1"),
              version("1.30.14-do.2")),
          List.of(
              new ClusterOptions.Size("s-1vcpu-2gb", "s-1vcpu-2gb"),
              new ClusterOptions.Size("s-2vcpu-4gb", "s-2vcpu-4gb"),
              new ClusterOptions.Size("s-4vcpu-8gb", "s-4vcpu-8gb")));

  private static ClusterOptions.Version version(String slug) {
    return new ClusterOptions.Version(slug, slug.substring(0, slug.indexOf('-')), List.of());
  }

  @Test
  void latestVersionIsByVersionOrderNotListPosition() {
    assertThat(options.latestVersion().slug()).isEqualTo("1.32.2-do.0");
    assertThat(version("1.31.10-do.1")).isGreaterThan(version("1.31.9-do.3"));
    assertThat(version("1.31.9-do.10")).isGreaterThan(version("1.31.9-do.3"));
  }

  @Test
  void resolveReplacesLatestWithTheNewestSlug() {
    ClusterSpec spec =
        ClusterSpec.named("devkube").region("sfo2").nodePool("devpool", "s-2vcpu-4gb", 2);

    ClusterSpec resolved = options.resolve(spec);

    assertThat(resolved.version()).isEqualTo("1.32.2-do.0");
    assertThat(resolved.nodePools()).isEqualTo(spec.nodePools());
    assertThat(options.resolve(spec.version("1.30.14-do.2")).version()).isEqualTo("1.30.14-do.2");
  }

  @Test
  void unknownSlugsAreRefusedWithTheNearestValidOnes() {
    ClusterSpec spec =
        ClusterSpec.named("devkube").region("sfo9").nodePool("devpool", "s-2vcpu-4gb", 2);

    assertThatThrownBy(() -> options.resolve(spec))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("region \"sfo9\" is not offered: nearest are sfo2, sfo3, nyc1");
    assertThatThrownBy(() -> options.resolve(spec.region("sfo2").version("1.31.9-do.0")))
        .hasMessage(
            "version \"1.31.9-do.0\" is not offered: nearest are 1.31.9-do.3, 1.32.2-do.0,"
                + " 1.31.10-do.1");
    assertThatThrownBy(
            () -> options.resolve(spec.region("sfo2").nodePool("big", "s-8vcpu-16gb", 1)))
        .hasMessage(
            "node pool big size \"s-8vcpu-16gb\" is not offered: nearest are s-1vcpu-2gb,"
                + " s-2vcpu-4gb, s-4vcpu-8gb");
  }

  @Test
  void resolveValidatesTheSpecFirst() {
    assertThatThrownBy(() -> options.resolve(ClusterSpec.named("devkube")))
        .hasMessageStartingWith("cluster devkube has no region");
  }

  @Test
  void noVersionOfferedIsAClearError() {
    ClusterOptions empty = new ClusterOptions(List.of(), List.of(), List.of());

    assertThatThrownBy(empty::latestVersion)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the provider offers no Kubernetes version");
  }
}
