package dev.devkube.recipes;

import java.security.SecureRandom;
import org.jspecify.annotations.Nullable;

/** Generated passwords, and the check for given ones. Neither ever puts a password in a message. */
final class Passwords {
  /** Letters and digits without the look-alikes (0/O, 1/l/I): easy to type from a tablet. */
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private static final SecureRandom RANDOM = new SecureRandom();
  static final int GENERATED_LENGTH = 24;
  static final int MINIMUM_LENGTH = 12;

  private Passwords() {}

  /** 24 characters from a 57-letter alphabet: about 140 bits. */
  static String generate() {
    char[] password = new char[GENERATED_LENGTH];
    for (int i = 0; i < password.length; i++) {
      password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(password);
  }

  /** {@code given}, or a newly generated password when it is null. */
  static String orGenerated(@Nullable String given) {
    return given != null ? given : generate();
  }

  /**
   * {@code value} percent-encoded for a URL's user information: every byte of its UTF-8 form but
   * the unreserved characters (letters, digits, {@code - . _ ~}) as {@code %XX}, so that {@code
   * p@ss:w/rd#1} stays one password in {@code postgresql://dev:p%40ss%3Aw%2Frd%231@host/db}.
   */
  static String urlEncoded(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /**
   * Refuses a password that is short or holds whitespace or control characters, without echoing it.
   */
  static String requireUsable(String what, String password) {
    if (password == null) {
      throw new IllegalArgumentException(
          what + " is null: give one, or leave it unset to have one generated");
    }
    if (password.length() < MINIMUM_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " has "
              + password.length()
              + " characters: use at least "
              + MINIMUM_LENGTH
              + ", or leave it unset to have one generated");
    }
    for (int i = 0; i < password.length(); i++) {
      char c = password.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            what
                + " holds whitespace or a control character at index "
                + i
                + ": use printable characters only");
      }
    }
    return password;
  }
}
