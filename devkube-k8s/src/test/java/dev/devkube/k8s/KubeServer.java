package dev.devkube.k8s;

import dev.devkube.ManualClock;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Handshake;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A MockWebServer over HTTPS, signed by its own CA and asking for client certificates from another,
 * and clients for it that record sleeps instead of sleeping.
 */
final class KubeServer implements AutoCloseable {
  static final HeldCertificate SERVER_CA =
      new HeldCertificate.Builder()
          .certificateAuthority(0)
          .commonName("devkube test server CA")
          .ecdsa256()
          .build();
  static final HeldCertificate CLIENT_CA =
      new HeldCertificate.Builder()
          .certificateAuthority(0)
          .commonName("devkube test client CA")
          .ecdsa256()
          .build();
  static final HeldCertificate OTHER_CA =
      new HeldCertificate.Builder()
          .certificateAuthority(0)
          .commonName("somebody else's CA")
          .ecdsa256()
          .build();
  static final HeldCertificate CLIENT_EC =
      new HeldCertificate.Builder().commonName("admin-ec").signedBy(CLIENT_CA).ecdsa256().build();
  static final HeldCertificate CLIENT_RSA =
      new HeldCertificate.Builder().commonName("admin-rsa").signedBy(CLIENT_CA).rsa2048().build();

  final MockWebServer server = new MockWebServer();
  final ManualClock clock = new ManualClock();

  KubeServer(boolean requireClientCertificate) throws IOException {
    HeldCertificate serverCertificate =
        new HeldCertificate.Builder()
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .signedBy(SERVER_CA)
            .ecdsa256()
            .build();
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(serverCertificate)
            .addTrustedCertificate(CLIENT_CA.certificate())
            .build()
            .sslSocketFactory());
    if (requireClientCertificate) {
      server.requireClientAuth();
    }
    server.start();
  }

  String url() {
    return server.url("/").toString();
  }

  /** A builder trusting the server's CA, with fake clocks. */
  KubeClient.Builder builder() {
    return KubeClient.builder()
        .server(url())
        .caCertificate(SERVER_CA.certificatePem())
        .clocks(clock, Clock.fixed(Instant.parse("2026-11-24T12:00:00Z"), ZoneOffset.UTC));
  }

  /** A client authenticating with the EC client certificate. */
  KubeClient client() {
    return builder()
        .clientCertificate(CLIENT_EC.certificatePem(), CLIENT_EC.privateKeyPkcs8Pem())
        .build();
  }

  void enqueue(int code, String json, String... headers) {
    MockResponse.Builder response =
        new MockResponse.Builder()
            .code(code)
            .addHeader("Content-Type", "application/json")
            .body(json);
    for (int i = 0; i < headers.length; i += 2) {
      response.addHeader(headers[i], headers[i + 1]);
    }
    server.enqueue(response.build());
  }

  void enqueue(MockResponse response) {
    server.enqueue(response);
  }

  RecordedRequest take() throws InterruptedException {
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    if (request == null) {
      throw new AssertionError("no request arrived within 5 s");
    }
    return request;
  }

  static String status(int code, String reason, String message) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\""
        + message
        + "\",\"reason\":\""
        + reason
        + "\",\"code\":"
        + code
        + "}";
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  /** The body of a request that must have one, as text. */
  static String body(RecordedRequest request) {
    return Objects.requireNonNull(request.getBody(), "the request has a body").utf8();
  }

  /** The client certificate's subject of a request that came over mutual TLS. */
  static String peer(RecordedRequest request) {
    Handshake handshake =
        Objects.requireNonNull(request.getHandshake(), "the request came over TLS");
    return Objects.requireNonNull(handshake.peerPrincipal(), "the client sent a certificate")
        .getName();
  }
}
