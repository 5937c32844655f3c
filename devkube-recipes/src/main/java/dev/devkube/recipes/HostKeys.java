package dev.devkube.recipes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An ed25519 host key made in the JVM (no ssh-keygen), in OpenSSH's formats: the private key as
 * {@code openssh-key-v1} (unencrypted, as sshd reads host keys) and the public key as one line.
 */
final class HostKeys {
  static final String TYPE = "ssh-ed25519";

  /** The PEM label OpenSSH writes around its own private key format. */
  private static final String ARMOR = "OPENSSH PRIVATE KEY";

  /** The public key's file name where sshd's image looks for host keys. */
  static final String TYPE_FILE = "ssh_host_ed25519_key.pub";

  /** The private key file's text and the public key line. */
  record Generated(String privateKey, String publicKey) {
    @Override
    public String toString() {
      return "HostKeys.Generated[" + publicKey + "]"; // never the private key
    }
  }

  private HostKeys() {}

  static Generated generate(String comment) {
    KeyPair pair;
    try {
      pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make ed25519 keys: " + e.getMessage(), e);
    }
    byte[] x509 = pair.getPublic().getEncoded();
    byte[] pub = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    byte[] seed =
        ((EdECPrivateKey) pair.getPrivate())
            .getBytes()
            .orElseThrow(() -> new IllegalStateException("the ed25519 private key has no bytes"));
    byte[] blob = publicBlob(pub);

    Buffer secret = new Buffer();
    int check = new SecureRandom().nextInt();
    secret.int32(check).int32(check);
    secret.string(TYPE.getBytes(StandardCharsets.US_ASCII)).string(pub);
    byte[] both = new byte[64];
    System.arraycopy(seed, 0, both, 0, 32);
    System.arraycopy(pub, 0, both, 32, 32);
    secret.string(both).string(comment.getBytes(StandardCharsets.UTF_8));
    for (int pad = 1; secret.size() % 8 != 0; pad++) {
      secret.raw(new byte[] {(byte) pad});
    }
    Arrays.fill(both, (byte) 0);
    Arrays.fill(seed, (byte) 0);

    Buffer file = new Buffer();
    file.raw("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII));
    file.string("none".getBytes(StandardCharsets.US_ASCII));
    file.string("none".getBytes(StandardCharsets.US_ASCII));
    file.string(new byte[0]);
    file.int32(1);
    file.string(blob);
    file.string(secret.bytes());
    String body = Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(file.bytes());
    String privateKey =
        "-----BEGIN " + ARMOR + "-----\n" + body + "\n-----END " + ARMOR + "-----\n";
    return new Generated(
        privateKey, TYPE + " " + Base64.getEncoder().encodeToString(blob) + " " + comment);
  }

  /** {@code SHA256:...} of a public key line, as {@code ssh-keygen -l} prints it. */
  static String fingerprint(String publicKeyLine) {
    String[] parts = publicKeyLine.strip().split("\\s+", -1);
    if (parts.length < 2) {
      throw new IllegalArgumentException("not an ssh public key line: " + publicKeyLine);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(parts[1]));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code known_hosts} lines for {@code key}: the addresses on {@code port} ({@code [ip]:port}
   * unless 22), then each of {@code names} on port 22.
   */
  static List<String> knownHosts(
      String publicKeyLine, List<String> addresses, int port, List<String> names) {
    String[] parts = publicKeyLine.strip().split("\\s+", -1);
    String key = parts[0] + " " + parts[1];
    List<String> lines = new ArrayList<>();
    if (!addresses.isEmpty()) {
      List<String> hosts = new ArrayList<>();
      for (String address : addresses) {
        hosts.add(port == 22 ? address : "[" + address + "]:" + port);
      }
      lines.add(String.join(",", hosts) + " " + key);
    }
    for (String name : names) {
      lines.add(name + " " + key);
    }
    return lines;
  }

  private static byte[] publicBlob(byte[] pub) {
    return new Buffer().string(TYPE.getBytes(StandardCharsets.US_ASCII)).string(pub).bytes();
  }

  /** SSH wire encoding: big-endian uint32 and length-prefixed strings. */
  private static final class Buffer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Buffer int32(int value) {
      out.write(value >>> 24);
      out.write(value >>> 16);
      out.write(value >>> 8);
      out.write(value);
      return this;
    }

    Buffer string(byte[] bytes) {
      int32(bytes.length);
      return raw(bytes);
    }

    Buffer raw(byte[] bytes) {
      out.write(bytes, 0, bytes.length);
      return this;
    }

    int size() {
      return out.size();
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}
