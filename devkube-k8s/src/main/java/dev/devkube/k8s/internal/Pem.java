package dev.devkube.k8s.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads PEM certificates and private keys with the JDK alone: keys in PKCS#1 ({@code RSA PRIVATE
 * KEY}), SEC1 ({@code EC PRIVATE KEY}) and PKCS#8 ({@code PRIVATE KEY}, RSA or EC). The algorithm
 * is read from the key itself, never guessed from a file name. Errors name the source (a file or a
 * kubeconfig field) and the problem.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)\\s*-----END \\1-----");
  private static final byte[] RSA_OID = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01
  };
  private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  private Pem() {}

  /** One PEM block: its label (e.g. {@code CERTIFICATE}) and its bytes. */
  static final class Block {
    private final String label;
    private final byte[] der;

    Block(String label, byte[] der) {
      this.label = label;
      this.der = der;
    }

    String label() {
      return label;
    }

    byte[] der() {
      return der;
    }
  }

  static List<Block> blocks(String pem, String source) {
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(pem);
    while (matcher.find()) {
      try {
        blocks.add(new Block(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2))));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            source + ": the " + matcher.group(1) + " block is not valid base64", e);
      }
    }
    return blocks;
  }

  /**
   * The certificates in {@code pem}, in order.
   *
   * @throws IllegalArgumentException when there is none or one cannot be read
   */
  public static List<X509Certificate> certificates(String pem, String source) {
    List<X509Certificate> certificates = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block block : blocks(pem, source)) {
        if (block.label().equals("CERTIFICATE")) {
          Certificate certificate =
              factory.generateCertificate(new ByteArrayInputStream(block.der()));
          certificates.add((X509Certificate) certificate);
        }
      }
    } catch (CertificateException e) {
      // The JDK's own words ("Empty input") say little: say what was expected.
      throw new IllegalArgumentException(
          source
              + ": a CERTIFICATE block holds no X.509 certificate (expected a PEM certificate,"
              + " as the cluster's CA file or certificate-authority-data gives it): "
              + e.getMessage(),
          e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + " holds no PEM certificate (expected a block"
              + " starting with -----BEGIN CERTIFICATE-----)");
    }
    return certificates;
  }

  /**
   * The private key in {@code pem}.
   *
   * @throws IllegalArgumentException when there is no key, or it is encrypted or unreadable
   */
  public static PrivateKey privateKey(String pem, String source) {
    for (Block block : blocks(pem, source)) {
      switch (block.label()) {
        case "PRIVATE KEY" -> {
          return pkcs8(block.der(), source);
        }
        case "RSA PRIVATE KEY" -> {
          return generate("RSA", pkcs8Of(RSA_OID, null, block.der()), source);
        }
        case "EC PRIVATE KEY" -> {
          return generate("EC", pkcs8Of(EC_OID, curveOf(block.der(), source), block.der()), source);
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                source
                    + " holds an encrypted private key: decrypt it"
                    + " first (openssl pkcs8 -in key.pem -out plain.pem)");
        default -> {}
      }
    }
    throw new IllegalArgumentException(
        source
            + " holds no PEM private key (expected PRIVATE KEY,"
            + " RSA PRIVATE KEY or EC PRIVATE KEY)");
  }

  private static PrivateKey pkcs8(byte[] der, String source) {
    Der.Reader info = new Der.Reader(der, source).sequence();
    info.integer();
    Der.Reader algorithm = info.sequence();
    byte[] oid = algorithm.oid();
    if (Arrays.equals(oid, RSA_OID)) {
      return generate("RSA", der, source);
    }
    if (Arrays.equals(oid, EC_OID)) {
      return generate("EC", der, source);
    }
    throw new IllegalArgumentException(
        source
            + ": the private key's algorithm is neither RSA nor"
            + " EC (supported: RSA and EC keys in PKCS#1, SEC1 or PKCS#8)");
  }

  /** The named curve's OID from a SEC1 ECPrivateKey's [0] parameters. */
  private static byte[] curveOf(byte[] sec1, String source) {
    Der.Reader key = new Der.Reader(sec1, source).sequence();
    key.integer();
    key.octetString();
    while (key.hasMore()) {
      int tag = key.peekTag();
      Der.Reader field = key.contextTagged(tag);
      if (tag == 0xa0) {
        return field.oid();
      }
    }
    throw new IllegalArgumentException(source + ": the EC private key names no curve");
  }

  private static byte[] pkcs8Of(
      byte[] algorithmOid, byte @Nullable [] parameterOid, byte[] privateKey) {
    ByteArrayOutputStream algorithm = new ByteArrayOutputStream();
    Der.write(algorithm, 0x06, algorithmOid);
    if (parameterOid == null) {
      Der.write(algorithm, 0x05, new byte[0]);
    } else {
      Der.write(algorithm, 0x06, parameterOid);
    }
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    Der.write(info, 0x02, new byte[] {0});
    Der.write(info, 0x30, algorithm.toByteArray());
    Der.write(info, 0x04, privateKey);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Der.write(out, 0x30, info.toByteArray());
    return out.toByteArray();
  }

  private static PrivateKey generate(String algorithm, byte[] pkcs8, String source) {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          source + ": the " + algorithm + " private key could not be" + " read: " + e.getMessage(),
          e);
    }
  }
}
