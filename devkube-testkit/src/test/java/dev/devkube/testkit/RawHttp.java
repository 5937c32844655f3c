package dev.devkube.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.devkube.ClusterCredentials;
import dev.devkube.testkit.internal.Doc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.jspecify.annotations.Nullable;

/** A plain OkHttp client for the fakes' own tests: raw requests, no devkube client code. */
final class RawHttp implements AutoCloseable {
  record Answer(int code, String body, @Nullable Object json) {
    @Nullable Object get(String path) {
      return Doc.get(json, path);
    }
  }

  final OkHttpClient client;
  final String base;

  RawHttp(ClusterCredentials credentials) throws Exception {
    X509Certificate ca =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new java.io.ByteArrayInputStream(
                        Objects.requireNonNull(credentials.caCertificate(), "the fake has a CA")
                            .getBytes(UTF_8)));
    HandshakeCertificates.Builder tls =
        new HandshakeCertificates.Builder().addTrustedCertificate(ca);
    if (credentials.clientCertificate() != null) {
      tls.heldCertificate(
          HeldCertificate.decode(credentials.clientCertificate() + credentials.clientKey()));
    }
    HandshakeCertificates certificates = tls.build();
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .sslSocketFactory(certificates.sslSocketFactory(), certificates.trustManager())
            .readTimeout(10, TimeUnit.SECONDS);
    if (credentials.token() != null) {
      String token = credentials.token();
      builder.addInterceptor(
          chain ->
              chain.proceed(
                  chain.request().newBuilder().header("Authorization", "Bearer " + token).build()));
    }
    this.client = builder.build();
    this.base = credentials.server().toString();
  }

  Answer send(String method, String path, @Nullable String body, String contentType) {
    RequestBody requestBody =
        body == null ? null : RequestBody.create(body, MediaType.get(contentType));
    Request request = new Request.Builder().url(base + path).method(method, requestBody).build();
    try (Response response = client.newCall(request).execute()) {
      String text = response.body().string();
      Object json = null;
      try {
        json = text.isBlank() ? null : Doc.parse(text);
      } catch (IOException e) {
        json = null;
      }
      return new Answer(response.code(), text, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Answer get(String path) {
    return send("GET", path, null, "application/json");
  }

  Answer post(String path, String json) {
    return send("POST", path, json, "application/json");
  }

  static String json(Map<String, ?> map) {
    return Doc.write(map);
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
