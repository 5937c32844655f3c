package dev.devkube.k8s.internal;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
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
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          keySource + ": could not set up TLS: " + e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(String certificatePem, String keyPem, String source) {
    // The parsed key and chain, held directly: a PKCS12 KeyStore and KeyManagerFactory would
    // protect and unprotect the key with thousands of PBKDF2 rounds on every client start.
    return new KeyManager[] {
      new ClientKeyManager(
          Pem.privateKey(keyPem, source),
          Pem.certificates(certificatePem, source).toArray(new X509Certificate[0]))
    };
  }

  /** Offers the one client key and its chain when the server asks for a key of its type. */
  static final class ClientKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "client";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    ClientKeyManager(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain.clone();
    }

    /** Whether the server's wanted key type (TLS 1.2's "EC_EC" and the like too) fits the key. */
    private boolean fits(@Nullable String keyType) {
      String algorithm = key.getAlgorithm();
      return keyType != null
          && (keyType.equals(algorithm)
              || keyType.startsWith(algorithm + "_")
              || (algorithm.equals("RSA") && keyType.equals("RSASSA-PSS")));
    }

    private @Nullable String choose(String @Nullable [] keyTypes) {
      if (keyTypes != null) {
        for (String keyType : keyTypes) {
          if (fits(keyType)) {
            return ALIAS;
          }
        }
      }
      return null;
    }

    @Override
    public String @Nullable [] getClientAliases(String keyType, Principal @Nullable [] issuers) {
      return fits(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public @Nullable String chooseClientAlias(
        String @Nullable [] keyTypes, Principal @Nullable [] issuers, @Nullable Socket socket) {
      return choose(keyTypes);
    }

    @Override
    public @Nullable String chooseEngineClientAlias(
        String @Nullable [] keyTypes, Principal @Nullable [] issuers, @Nullable SSLEngine engine) {
      return choose(keyTypes);
    }

    @Override
    public String @Nullable [] getServerAliases(String keyType, Principal @Nullable [] issuers) {
      return null;
    }

    @Override
    public @Nullable String chooseServerAlias(
        String keyType, Principal @Nullable [] issuers, @Nullable Socket socket) {
      return null;
    }

    @Override
    public X509Certificate @Nullable [] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public @Nullable PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
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
