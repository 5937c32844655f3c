package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server's end of a WebSocket (RFC 6455) on an upgraded {@link Http1Server} exchange: the
 * handshake with subprotocol negotiation, unmasked frames out, masked frames in, pings answered.
 * Writes are serialized; reads belong to one thread.
 */
final class WebSocketConnection {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_MESSAGE = 64 * 1024 * 1024;

  private final InputStream in;
  private final OutputStream out;
  private final String protocol;
  private boolean closeSent;

  private WebSocketConnection(InputStream in, OutputStream out, String protocol) {
    this.in = in;
    this.out = out;
    this.protocol = protocol;
  }

  /** True when the request asks to become a WebSocket. */
  static boolean isUpgrade(HttpExchange exchange) {
    String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
    String connection = exchange.getRequestHeaders().getFirst("Connection");
    return upgrade != null
        && upgrade.toLowerCase(Locale.ROOT).contains("websocket")
        && connection != null
        && connection.toLowerCase(Locale.ROOT).contains("upgrade");
  }

  /** The subprotocols the client offered, in its order of preference. */
  static List<String> offered(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().get("Sec-WebSocket-Protocol");
    if (headers == null) {
      return List.of();
    }
    return headers.stream()
        .flatMap(h -> java.util.Arrays.stream(h.split(",", -1)))
        .map(String::trim)
        .filter(p -> !p.isEmpty())
        .toList();
  }

  /**
   * Answers 101 with the chosen subprotocol ({@code ""} for none) and returns the connection.
   *
   * @throws Status 400 when the handshake's key or version is missing or wrong
   */
  static WebSocketConnection accept(HttpExchange exchange, String protocol) throws IOException {
    String key = exchange.getRequestHeaders().getFirst("Sec-WebSocket-Key");
    String version = exchange.getRequestHeaders().getFirst("Sec-WebSocket-Version");
    if (key == null || !"13".equals(version)) {
      throw Status.badRequest("a WebSocket upgrade needs Sec-WebSocket-Key and version 13");
    }
    exchange.getResponseHeaders().set("Upgrade", "websocket");
    exchange.getResponseHeaders().set("Connection", "Upgrade");
    exchange.getResponseHeaders().set("Sec-WebSocket-Accept", acceptKey(key));
    if (!protocol.isEmpty()) {
      exchange.getResponseHeaders().set("Sec-WebSocket-Protocol", protocol);
    }
    exchange.sendResponseHeaders(101, -1);
    return new WebSocketConnection(exchange.getRequestBody(), exchange.getResponseBody(), protocol);
  }

  static String acceptKey(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      return Base64.getEncoder()
          .encodeToString(sha1.digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  String protocol() {
    return protocol;
  }

  /** Sends one binary message. */
  synchronized void sendBinary(byte[] payload) throws IOException {
    frame(0x2, payload);
  }

  /** Sends a close frame (once) with the code and reason. */
  synchronized void close(int code, String reason) {
    if (closeSent) {
      return;
    }
    closeSent = true;
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + Math.min(text.length, 123)];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, payload.length - 2);
    try {
      frame(0x8, payload);
    } catch (IOException ignored) {
      // the peer is gone already
    }
  }

  private void frame(int opcode, byte[] payload) throws IOException {
    byte[] head;
    int n = payload.length;
    if (n < 126) {
      head = new byte[] {(byte) (0x80 | opcode), (byte) n};
    } else if (n < 65536) {
      head = new byte[] {(byte) (0x80 | opcode), 126, (byte) (n >> 8), (byte) n};
    } else {
      head = new byte[10];
      head[0] = (byte) (0x80 | opcode);
      head[1] = 127;
      for (int i = 0; i < 8; i++) {
        head[9 - i] = (byte) ((long) n >> (8 * i));
      }
    }
    out.write(head);
    out.write(payload);
    out.flush();
  }

  /**
   * The next data message (text or binary, fragments joined), or null when the peer closed or the
   * connection ended.
   */
  byte @Nullable [] read() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) {
        return null;
      }
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0f;
      boolean masked = (b1 & 0x80) != 0;
      long length = b1 & 0x7f;
      if (length == 126) {
        length = ((long) readByte() << 8) | readByte();
      } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; i++) {
          length = (length << 8) | readByte();
        }
      }
      if (length > MAX_MESSAGE || message.size() + length > MAX_MESSAGE) {
        close(1009, "message too big");
        return null;
      }
      byte[] mask = masked ? in.readNBytes(4) : new byte[4];
      byte[] payload = in.readNBytes((int) length);
      if (payload.length != length) {
        return null;
      }
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      switch (opcode) {
        case 0x8 -> {
          close(1000, "");
          return null;
        }
        case 0x9 -> {
          synchronized (this) {
            frame(0xA, payload);
          }
        }
        case 0xA -> {
          // a pong: nothing to do
        }
        default -> {
          message.write(payload);
          if (fin) {
            return message.toByteArray();
          }
        }
      }
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the connection ended inside a frame");
    }
    return b;
  }
}
