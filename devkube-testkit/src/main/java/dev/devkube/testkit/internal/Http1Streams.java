package dev.devkube.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** The HTTP/1.1 framing {@link Http1Server} reads and writes: lines, bodies by length or chunks. */
final class Http1Streams {
  static final int MAX_HEAD = 64 * 1024;

  private Http1Streams() {}

  /** A line up to CRLF (or LF), or null at the end of the stream before any byte. */
  static @Nullable String readLine(InputStream in, boolean endAllowed) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (endAllowed && line.size() == 0) {
          return null;
        }
        throw new EOFException("the connection ended inside a request head");
      }
      if (b == '\n') {
        break;
      }
      line.write(b);
      if (line.size() > MAX_HEAD) {
        throw new IOException("request head too long");
      }
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  static String line(InputStream in) throws IOException {
    String line = readLine(in, false);
    if (line == null) {
      throw new EOFException("the connection ended inside a request");
    }
    return line;
  }

  static final class FixedInput extends InputStream {
    private final InputStream in;
    private long remaining;

    FixedInput(InputStream in, long length) {
      this.in = in;
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("the request body ended before its Content-Length");
      }
      remaining -= n;
      return n;
    }
  }

  static final class ChunkedInput extends InputStream {
    private final InputStream in;
    private long remaining;
    private boolean done;

    ChunkedInput(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (remaining == 0) {
        String size = line(in);
        int semicolon = size.indexOf(';');
        try {
          remaining =
              Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("malformed chunk size");
        }
        if (remaining == 0) {
          // trailers, up to the empty line
          String line;
          do {
            line = line(in);
          } while (!line.isEmpty());
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("the request body ended inside a chunk");
      }
      remaining -= n;
      if (remaining == 0) {
        line(in); // the CRLF after the chunk
      }
      return n;
    }
  }

  static final class ChunkedOutput extends OutputStream {
    private final OutputStream out;
    private boolean done;

    ChunkedOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (done) {
        throw new IOException("stream closed");
      }
      if (len == 0) {
        return;
      }
      out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.write(b, off, len);
      out.write('\r');
      out.write('\n');
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      if (done) {
        return;
      }
      done = true;
      out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
  }

  static String reason(int code) {
    return switch (code) {
      case 100 -> "Continue";
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 406 -> "Not Acceptable";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 415 -> "Unsupported Media Type";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status";
    };
  }
}
