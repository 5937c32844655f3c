package dev.devkube.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Keys are generated here, in every encoding, with the JDK and a few lines of DER. */
class PemTest {
  private static String pem(String label, byte[] der) {
    return "-----BEGIN "
        + label
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + label
        + "-----\n";
  }

  /** The privateKey OCTET STRING inside a PKCS#8 PrivateKeyInfo: PKCS#1 for RSA, SEC1 for EC. */
  private static byte[] inner(byte[] pkcs8) {
    Der.Reader info = new Der.Reader(pkcs8, "test").sequence();
    info.integer();
    info.sequence();
    return info.octetString();
  }

  /** A SEC1 ECPrivateKey with its curve named in [0], as "openssl ec" writes it. */
  private static byte[] sec1WithCurve(byte[] pkcs8) {
    Der.Reader info = new Der.Reader(pkcs8, "test").sequence();
    info.integer();
    Der.Reader algorithm = info.sequence();
    algorithm.oid();
    byte[] curve = algorithm.oid();
    Der.Reader key = new Der.Reader(info.octetString(), "test").sequence();
    byte[] version = key.integer();
    byte[] secret = key.octetString();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Der.write(body, 0x02, version);
    Der.write(body, 0x04, secret);
    ByteArrayOutputStream curveOid = new ByteArrayOutputStream();
    Der.write(curveOid, 0x06, curve);
    Der.write(body, 0xa0, curveOid.toByteArray());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Der.write(out, 0x30, body.toByteArray());
    return out.toByteArray();
  }

  private static KeyPair generate(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  @Test
  void rsaKeysReadFromPkcs8AndPkcs1() throws Exception {
    PrivateKey key = generate("RSA").getPrivate();

    PrivateKey fromPkcs8 = Pem.privateKey(pem("PRIVATE KEY", key.getEncoded()), "key.pem");
    PrivateKey fromPkcs1 =
        Pem.privateKey(pem("RSA PRIVATE KEY", inner(key.getEncoded())), "key.pem");

    assertThat(fromPkcs8.getAlgorithm()).isEqualTo("RSA");
    assertThat(fromPkcs8.getEncoded()).isEqualTo(key.getEncoded());
    assertThat(fromPkcs1.getEncoded()).isEqualTo(key.getEncoded());
  }

  @Test
  void ecKeysReadFromPkcs8AndSec1() throws Exception {
    ECPrivateKey key = (ECPrivateKey) generate("EC").getPrivate();

    ECPrivateKey fromPkcs8 =
        (ECPrivateKey) Pem.privateKey(pem("PRIVATE KEY", key.getEncoded()), "key.pem");
    ECPrivateKey fromSec1 =
        (ECPrivateKey)
            Pem.privateKey(
                "some text before\n"
                    + pem("EC PARAMETERS", new byte[] {6, 8, 42, -122, 72, -50, 61, 3, 1, 7})
                    + pem("EC PRIVATE KEY", sec1WithCurve(key.getEncoded())),
                "key.pem");

    assertThat(fromPkcs8.getS()).isEqualTo(key.getS());
    assertThat(fromSec1.getAlgorithm()).isEqualTo("EC");
    assertThat(fromSec1.getS()).isEqualTo(key.getS());
  }

  @Test
  void badKeysNameTheSourceAndTheProblem() throws Exception {
    assertThatThrownBy(() -> Pem.privateKey("nothing here", "user \"admin\" client-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "user \"admin\" client-key holds no PEM private key (expected PRIVATE KEY, RSA"
                + " PRIVATE KEY or EC PRIVATE KEY)");
    assertThatThrownBy(() -> Pem.privateKey(pem("ENCRYPTED PRIVATE KEY", new byte[] {1}), "k.pem"))
        .hasMessage(
            "k.pem holds an encrypted private key: decrypt it first (openssl pkcs8 -in key.pem"
                + " -out plain.pem)");
    assertThatThrownBy(() -> Pem.privateKey(pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}), "k.pem"))
        .hasMessageStartingWith("k.pem: the RSA private key could not be read");
    byte[] sec1 = sec1WithCurve(generate("EC").getPrivate().getEncoded());
    assertThatThrownBy(
            () -> Pem.privateKey(pem("EC PRIVATE KEY", Arrays.copyOf(sec1, 10)), "k.pem"))
        .hasMessage("k.pem: the private key is not valid DER");
    assertThatThrownBy(
            () ->
                Pem.certificates(
                    "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", "ca.pem"))
        .hasMessageStartingWith(
            "ca.pem: a CERTIFICATE block holds no X.509 certificate (expected a PEM certificate,");
    assertThatThrownBy(
            () ->
                Pem.certificates(
                    "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----", "ca.pem"))
        .hasMessageStartingWith("ca.pem: a CERTIFICATE block holds no X.509 certificate");
    assertThatThrownBy(() -> Pem.certificates("", "ca.pem"))
        .hasMessage(
            "ca.pem holds no PEM certificate (expected a block starting with -----BEGIN"
                + " CERTIFICATE-----)");
  }
}
