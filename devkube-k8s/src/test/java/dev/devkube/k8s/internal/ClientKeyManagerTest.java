package dev.devkube.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.cert.X509Certificate;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.Test;

/** The key manager that offers the parsed client key without a KeyStore round trip. */
class ClientKeyManagerTest {
  private static Tls.ClientKeyManager manager(HeldCertificate held) {
    return new Tls.ClientKeyManager(
        held.keyPair().getPrivate(), new X509Certificate[] {held.certificate()});
  }

  @Test
  void anRsaKeyIsOfferedForRsaKeyTypesOnly() {
    HeldCertificate rsa = new HeldCertificate.Builder().commonName("rsa").rsa2048().build();
    Tls.ClientKeyManager keys = manager(rsa);

    assertThat(keys.chooseClientAlias(new String[] {"EC"}, null, null)).isNull();
    assertThat(keys.chooseClientAlias(new String[] {"EC", "RSA"}, null, null)).isEqualTo("client");
    assertThat(keys.chooseEngineClientAlias(new String[] {"RSASSA-PSS"}, null, null))
        .isEqualTo("client");
    assertThat(keys.getClientAliases("RSA", null)).containsExactly("client");
    assertThat(keys.getPrivateKey("client")).isSameAs(rsa.keyPair().getPrivate());
    assertThat(keys.getCertificateChain("client")).containsExactly(rsa.certificate());
    assertThat(keys.getPrivateKey("other")).isNull();
    assertThat(keys.chooseServerAlias("RSA", null, null)).isNull();
  }

  @Test
  void anEcKeyIsOfferedForEcKeyTypesIncludingTls12Names() {
    HeldCertificate ec = new HeldCertificate.Builder().commonName("ec").ecdsa256().build();
    Tls.ClientKeyManager keys = manager(ec);

    assertThat(keys.chooseClientAlias(new String[] {"RSA"}, null, null)).isNull();
    assertThat(keys.chooseClientAlias(new String[] {"EC_EC"}, null, null)).isEqualTo("client");
    assertThat(keys.getClientAliases("EC", null)).containsExactly("client");
    assertThat(keys.getClientAliases("RSA", null)).isNull();
  }
}
