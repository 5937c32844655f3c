package dev.devkube.internal;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Argument checks whose messages name the bad value and what would be accepted. */
public final class Validation {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private Validation() {}

  /** Requires an RFC 1123 label: 1-63 lower-case letters, digits and '-', alphanumeric ends. */
  public static String requireDnsLabel(String what, @Nullable String value) {
    if (value == null || value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " "
              + quote(value)
              + " is not a DNS label: use 1 to"
              + " 63 lower-case letters, digits and '-', starting and ending with a letter or digit");
    }
    return value;
  }

  /** Requires an RFC 1123 subdomain: up to 253 characters of DNS labels joined by '.'. */
  public static String requireDnsSubdomain(String what, @Nullable String value) {
    if (value == null || value.length() > 253 || !DNS_SUBDOMAIN.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " "
              + quote(value)
              + " is not a DNS subdomain: use"
              + " up to 253 lower-case letters, digits, '-' and '.', starting and ending with a letter"
              + " or digit");
    }
    return value;
  }

  /** Requires a string with at least one non-whitespace character. */
  public static String requireNonBlank(String what, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          what + " is " + (value == null ? "null" : "blank") + ": give a non-empty value");
    }
    return value;
  }

  /** Quotes a value for a message: {@code "abc"}, or {@code null}. */
  public static String quote(@Nullable String value) {
    return value == null ? "null" : '"' + value + '"';
  }
}
