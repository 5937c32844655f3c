package dev.devkube.recipes;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Well-formed OpenSSH public key lines, made here (the recipes only check their shape). */
final class Keys {
  private Keys() {}

  static String key(String type, int payload, String comment) {
    ByteArrayOutputStream blob = new ByteArrayOutputStream();
    writeString(blob, type.getBytes(StandardCharsets.US_ASCII));
    byte[] data = new byte[payload];
    for (int i = 0; i < payload; i++) {
      data[i] = (byte) (i * 7 + type.length());
    }
    writeString(blob, data);
    return type + " " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + comment;
  }

  static String ed25519(String comment) {
    return key("ssh-ed25519", 32, comment);
  }

  private static void writeString(ByteArrayOutputStream out, byte[] bytes) {
    out.write(bytes.length >>> 24);
    out.write(bytes.length >>> 16);
    out.write(bytes.length >>> 8);
    out.write(bytes.length);
    out.write(bytes, 0, bytes.length);
  }
}
