package dev.devkube.recipes;

import dev.devkube.FileAccessException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Reads and checks OpenSSH public keys (ed25519, ECDSA or RSA), one per line, before anything is
 * sent: a private key, an empty or missing file, or a line that is not a public key is refused with
 * the file and line named.
 */
public final class SshKeys {
  private static final Set<String> TYPES =
      Set.of(
          "ssh-ed25519",
          "ssh-rsa",
          "ecdsa-sha2-nistp256",
          "ecdsa-sha2-nistp384",
          "ecdsa-sha2-nistp521",
          "sk-ssh-ed25519@openssh.com",
          "sk-ecdsa-sha2-nistp256@openssh.com");

  private SshKeys() {}

  /** The public keys in {@code file}, e.g. {@code ~/.ssh/id_ed25519.pub}. */
  public static List<String> read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          "ssh public key file "
              + file
              + " does not exist: create one"
              + " with ssh-keygen -t ed25519, or give another file");
    } catch (IOException e) {
      throw new FileAccessException(
          "could not read ssh public key file " + file + ": " + e.getMessage(), file, e);
    }
    return parse(text, file.toString());
  }

  /** The public keys in {@code text}; {@code source} names it in errors. */
  public static List<String> parse(String text, String source) {
    if (text.contains("PRIVATE KEY")) {
      throw new IllegalArgumentException(
          source
              + " holds a private key: give the public key (the"
              + " .pub file), never the private one");
    }
    List<String> keys = new ArrayList<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      keys.add(check(line, source + " line " + (i + 1)));
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(
          source
              + " holds no ssh public key: expected a line such as"
              + " \"ssh-ed25519 AAAAC3... you@host\"");
    }
    return List.copyOf(keys);
  }

  private static String check(String line, String where) {
    String[] parts = line.split("\\s+", 3);
    if (parts[0].equals("ssh-dss")) {
      throw new IllegalArgumentException(
          where
              + " is a DSA (ssh-dss) key, which is not supported: OpenSSH no longer accepts"
              + " DSA keys; create an ed25519 key with ssh-keygen -t ed25519");
    }
    if (!TYPES.contains(parts[0])
        && Arrays.stream(line.split("\\s+", -1)).skip(1).anyMatch(TYPES::contains)) {
      throw new IllegalArgumentException(
          where
              + " starts with authorized_keys options ("
              + parts[0]
              + "), which are not supported: give the key alone, starting with its type, such as"
              + " \"ssh-ed25519 AAAAC3... you@host\"");
    }
    if (parts.length < 2 || !TYPES.contains(parts[0])) {
      throw new IllegalArgumentException(
          where
              + " is not an ssh public key: expected one of "
              + "ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa, then the key");
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": the " + parts[0] + " key is not valid base64");
    }
    // The blob starts with the key type again, as a length-prefixed string.
    if (blob.length < 4) {
      throw new IllegalArgumentException(where + ": the " + parts[0] + " key is truncated");
    }
    int length =
        ((blob[0] & 0xff) << 24)
            | ((blob[1] & 0xff) << 16)
            | ((blob[2] & 0xff) << 8)
            | (blob[3] & 0xff);
    if (length < 0
        || 4 + length > blob.length
        || !new String(blob, 4, length, StandardCharsets.US_ASCII).equals(parts[0])) {
      throw new IllegalArgumentException(
          where + ": the key data does not match its type " + parts[0]);
    }
    return line;
  }
}
