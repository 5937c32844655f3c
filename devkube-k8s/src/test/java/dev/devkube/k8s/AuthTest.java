package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ClusterCredentials;
import dev.devkube.TransportException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthTest {
  private static final String POD =
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}";

  @Test
  void anRsaClientCertificateInPkcs1Works() throws Exception {
    try (KubeServer server = new KubeServer(true);
        KubeClient kube =
            server
                .builder()
                .clientCertificate(
                    KubeServer.CLIENT_RSA.certificatePem(),
                    KubeServer.CLIENT_RSA.privateKeyPkcs1Pem())
                .build()) {
      server.enqueue(200, POD);
      assertThat(kube.resource(KubeObject.of("v1", "Pod", "p")).get()).isPresent();
      assertThat(KubeServer.peer(server.take())).contains("admin-rsa");
    }
  }

  @Test
  void aWrongCaFailsWithAClearTlsMessage() throws Exception {
    try (KubeServer server = new KubeServer(false);
        KubeClient kube =
            KubeClient.builder()
                .server(server.url())
                .caCertificate(KubeServer.OTHER_CA.certificatePem())
                .token("t")
                .maxRetries(0)
                .build()) {
      assertThatThrownBy(() -> kube.resource(KubeObject.of("v1", "Pod", "p")).get())
          .isInstanceOf(TransportException.class)
          .hasMessageStartingWith(
              "TLS with the API server at localhost:"
                  + server.server.getPort()
                  + " failed for get Pod default/p: ")
          .hasMessageEndingWith("(is the CA right for this cluster?)");
      assertThat(server.server.getRequestCount()).isZero();
    }
  }

  @Test
  void aCredentialsSupplierIsFirstAskedInBuildAndLaterSettersWin() throws Exception {
    try (KubeServer server = new KubeServer(false)) {
      int[] calls = {0};
      java.util.function.Supplier<ClusterCredentials> supplier =
          () -> {
            calls[0]++;
            return ClusterCredentials.ofToken(
                "id",
                "devkube",
                URI.create(server.url()),
                KubeServer.SERVER_CA.certificatePem(),
                "from-supplier",
                Instant.parse("2099-01-01T00:00:00Z"));
          };
      KubeClient.Builder builder =
          KubeClient.builder().credentials(supplier).namespace("dev").token("given");
      assertThat(calls[0]).as("asked while configuring").isZero();

      try (KubeClient kube = builder.build()) {
        server.enqueue(200, POD);
        assertThat(kube.resource(KubeObject.of("v1", "Pod", "p")).get()).isPresent();
      }
      assertThat(calls[0]).isEqualTo(1);
      assertThat(server.take().getHeaders().get("Authorization")).isEqualTo("Bearer given");
      try (KubeClient again = builder.build()) {
        assertThat(again.namespace()).isEqualTo("dev");
      }
      assertThat(calls[0]).as("each build asks once").isEqualTo(2);
    }
  }

  @Test
  void expiringProviderCredentialsAreFetchedAgainAfterA401() throws Exception {
    try (KubeServer server = new KubeServer(false)) {
      Deque<String> tokens = new ArrayDeque<>(List.of("first", "second"));
      Instant later = Instant.parse("2026-12-01T00:00:00Z");
      int[] calls = {0};
      java.util.function.Supplier<ClusterCredentials> supplier =
          () -> {
            calls[0]++;
            return ClusterCredentials.ofToken(
                "id",
                "devkube",
                URI.create(server.url()),
                KubeServer.SERVER_CA.certificatePem(),
                tokens.isEmpty() ? "second" : tokens.poll(),
                later);
          };
      try (KubeClient kube = KubeClient.builder().credentials(supplier).build()) {
        server.enqueue(401, KubeServer.status(401, "Unauthorized", "Unauthorized"));
        server.enqueue(200, POD);

        assertThat(kube.resource(KubeObject.of("v1", "Pod", "p")).get()).isPresent();
      }
      assertThat(server.take().getHeaders().get("Authorization")).isEqualTo("Bearer first");
      assertThat(server.take().getHeaders().get("Authorization")).isEqualTo("Bearer second");
      assertThat(calls[0]).isEqualTo(2);
    }
  }

  @Test
  void credentialsAboutToExpireAreRefreshedBeforeUse() throws Exception {
    try (KubeServer server = new KubeServer(false)) {
      Deque<ClusterCredentials> answers =
          new ArrayDeque<>(
              List.of(
                  ClusterCredentials.ofToken(
                      "id",
                      "devkube",
                      URI.create(server.url()),
                      KubeServer.SERVER_CA.certificatePem(),
                      "old",
                      Instant.now().plusSeconds(60)),
                  ClusterCredentials.ofToken(
                      "id",
                      "devkube",
                      URI.create(server.url()),
                      KubeServer.SERVER_CA.certificatePem(),
                      "new",
                      Instant.now().plusSeconds(7 * 86400))));
      try (KubeClient kube = KubeClient.builder().credentials(answers::poll).build()) {
        server.enqueue(200, POD);
        kube.resource(KubeObject.of("v1", "Pod", "p")).get();
      }
      assertThat(server.take().getHeaders().get("Authorization")).isEqualTo("Bearer new");
    }
  }

  @Test
  void aServerIsRequired() {
    assertThatThrownBy(() -> KubeClient.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "no API server: call server(...), credentials(...), or use KubeClient.fromKubeconfig()");
    assertThatThrownBy(() -> KubeClient.builder().server("http://10.0.0.1:6443"))
        .hasMessage(
            "server http://10.0.0.1:6443 is not an https URL: give the API server's address,"
                + " such as https://203.0.113.7:6443 (plain http only to a proxy on this machine,"
                + " such as kubectl proxy's http://127.0.0.1:8001)");
  }

  @Test
  void tlsServerNameIsWhatTheCertificateIsCheckedAgainst() throws Exception {
    try (KubeServer server = new KubeServer(false)) {
      String byIp = "https://127.0.0.1:" + server.server.getPort() + "/";
      try (KubeClient right =
          KubeClient.builder()
              .server(byIp)
              .tlsServerName("localhost")
              .caCertificate(KubeServer.SERVER_CA.certificatePem())
              .token("t")
              .build()) {
        server.enqueue(200, POD);
        assertThat(right.resource(KubeObject.of("v1", "Pod", "p")).get()).isPresent();
      }
      try (KubeClient wrong =
          KubeClient.builder()
              .server(byIp)
              .tlsServerName("api.example.com")
              .caCertificate(KubeServer.SERVER_CA.certificatePem())
              .token("t")
              .maxRetries(0)
              .build()) {
        assertThatThrownBy(() -> wrong.resource(KubeObject.of("v1", "Pod", "p")).get())
            .isInstanceOf(TransportException.class);
      }
    }
  }
}
