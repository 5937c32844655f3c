package dev.devkube.k8s.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The TLS settings of a connection to an API server: trust the cluster's CA (or the JVM's
 * authorities when there is none), and present a client certificate when there is one.
 *
 * @param socketFactory the socket factory to use
 * @param trustManager the trust manager behind it
 */
public record Tls(SSLSocketFactory socketFactory, X509TrustManager trustManager) {

  /**
   * TLS that verifies the server against {@code caPem} (null: the JVM's authorities) and, when
   * {@code certificatePem} and {@code keyPem} are given, presents that client certificate.
   */
  public static Tls of(
      @Nullable String caPem,
      String caSource,
      @Nullable String certificatePem,
      @Nullable String keyPem,
      String keySource) {
    X509TrustManager trust;
    try {
      trust = trustManager(caPem == null ? null : Pem.certificates(caPem, caSource));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          caSource + ": could not trust the CA: " + e.getMessage(), e);
    }
    return create(trust, certificatePem, keyPem, keySource);
  }

  /**
   * TLS that trusts any server. Only for a kubeconfig that says {@code insecure-skip-tls-verify};
   * the caller logs a warning.
   */
  public static Tls insecure(
      @Nullable String certificatePem, @Nullable String keyPem, String keySource) {
    return create(new TrustAll(), certificatePem, keyPem, keySource);
  }

  private static Tls create(
      X509TrustManager trust,
      @Nullable String certificatePem,
      @Nullable String keyPem,
      String keySource) {
    try {
      KeyManager[] keys =
          certificatePem == null || keyPem == null
              ? null
              : keyManagers(certificatePem, keyPem, keySource);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, new SecureRandom());
      return new Tls(context.getSocketFactory(), trust);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          keySource + ": could not set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(String certificatePem, String keyPem, String source)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry(
        "client",
        Pem.privateKey(keyPem, source),
        password,
        Pem.certificates(certificatePem, source).toArray(new X509Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }

  private static X509TrustManager trustManager(@Nullable List<X509Certificate> authorities)
      throws GeneralSecurityException, IOException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (authorities == null) {
      factory.init((KeyStore) null);
    } else {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (X509Certificate certificate : authorities) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      factory.init(store);
    }
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509TrustManager) {
        return x509TrustManager;
      }
    }
    throw new GeneralSecurityException("no X509TrustManager available");
  }

  /** Accepts every server certificate: what insecure-skip-tls-verify asks for. */
  private static final class TrustAll implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
