package dev.devkube.k8s.internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Just enough DER to read and wrap private keys. */
final class Der {
  private Der() {}

  static void write(ByteArrayOutputStream out, int tag, byte[] content) {
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else if (length < 0x100) {
      out.write(0x81);
      out.write(length);
    } else if (length < 0x10000) {
      out.write(0x82);
      out.write(length >> 8);
      out.write(length & 0xff);
    } else {
      out.write(0x83);
      out.write(length >> 16);
      out.write((length >> 8) & 0xff);
      out.write(length & 0xff);
    }
    out.write(content, 0, content.length);
  }

  /** Reads TLVs in order from a byte range. */
  static final class Reader {
    private final byte[] der;
    private final String source;
    private int position;
    private final int end;

    Reader(byte[] der, String source) {
      this(der, source, 0, der.length);
    }

    private Reader(byte[] der, String source, int start, int end) {
      this.der = der;
      this.source = source;
      this.position = start;
      this.end = end;
    }

    boolean hasMore() {
      return position < end;
    }

    int peekTag() {
      require(position < end);
      return der[position] & 0xff;
    }

    Reader sequence() {
      return enter(0x30);
    }

    Reader contextTagged(int tag) {
      return enter(tag);
    }

    byte[] integer() {
      return content(0x02);
    }

    byte[] octetString() {
      return content(0x04);
    }

    byte[] oid() {
      return content(0x06);
    }

    private Reader enter(int tag) {
      int[] bounds = next(tag);
      return new Reader(der, source, bounds[0], bounds[1]);
    }

    private byte[] content(int tag) {
      int[] bounds = next(tag);
      return Arrays.copyOfRange(der, bounds[0], bounds[1]);
    }

    private int[] next(int tag) {
      require(position + 2 <= end && (der[position] & 0xff) == tag);
      position++;
      int length = der[position++] & 0xff;
      if (length >= 0x80) {
        int bytes = length & 0x7f;
        require(bytes >= 1 && bytes <= 3 && position + bytes <= end);
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (der[position++] & 0xff);
        }
      }
      int start = position;
      require(start + length <= end);
      position = start + length;
      return new int[] {start, start + length};
    }

    private void require(boolean condition) {
      if (!condition) {
        throw new IllegalArgumentException(source + ": the private key is not valid DER");
      }
    }
  }
}
