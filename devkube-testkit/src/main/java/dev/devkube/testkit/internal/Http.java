package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** Small helpers over the JDK's HTTP server exchange. */
public final class Http {
  private Http() {}

  /**
   * Turns on TCP_NODELAY for the JDK's HTTP server, which it reads once, when the first server of
   * the JVM starts. Without it the server's small writes wait for ACKs that clients delay: about 40
   * ms a request, which would hide the clients' own costs.
   */
  public static void noDelay() {
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /** The query's parameters; for a name given more than once, the last value. */
  public static Map<String, String> query(HttpExchange exchange) {
    Map<String, String> query = new LinkedHashMap<>();
    queryAll(exchange).forEach((name, values) -> query.put(name, values.get(values.size() - 1)));
    return query;
  }

  /** Every value of every query parameter, in order (exec's {@code command=...&command=...}). */
  public static Map<String, List<String>> queryAll(HttpExchange exchange) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    String raw = exchange.getRequestURI().getRawQuery();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return query;
  }

  public static String body(HttpExchange exchange) throws IOException {
    return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  public static void json(HttpExchange exchange, int code, @Nullable Object body)
      throws IOException {
    send(exchange, code, "application/json", Doc.write(body) + "\n");
  }

  public static void send(HttpExchange exchange, int code, String contentType, String body)
      throws IOException {
    sendBytes(exchange, code, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /** An answer of raw bytes. */
  public static void sendBytes(HttpExchange exchange, int code, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Audit-Id", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  /** An answer with no body and no Content-Type (a 202 or 204 says nothing more). */
  public static void empty(HttpExchange exchange, int code) throws IOException {
    exchange.getResponseHeaders().remove("Content-Type");
    exchange.sendResponseHeaders(code, -1);
    exchange.close();
  }
}
