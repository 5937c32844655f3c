package dev.devkube.testkit.internal;

import dev.devkube.testkit.FakeContainer;
import dev.devkube.testkit.FakePortHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the recipe images answer on their ports, as far as a test or {@code verify()} asks: nginx
 * serves files from its document root, code-server its login page (and the IDE only after the right
 * password), Redis PING (after AUTH when it has a password), Postgres the start of its protocol.
 * Containers do not run; these stand in for them.
 */
final class Ports {
  private Ports() {}

  /**
   * The container that declares the port, else the pod's first container (ports need not be
   * declared).
   */
  static @Nullable Map<String, @Nullable Object> containerFor(
      Map<String, @Nullable Object> pod, int port) {
    List<Object> containers = Doc.list(pod, "spec.containers");
    for (Object c : containers) {
      for (Object p : Doc.list(c, "ports")) {
        if (Doc.get(p, "containerPort") instanceof Number n && n.intValue() == port) {
          return Doc.copyObject(c);
        }
      }
    }
    return containers.isEmpty() ? null : Doc.copyObject(containers.get(0));
  }

  static @Nullable FakePortHandler builtin(String image, int port) {
    String repository = image.toLowerCase(Locale.ROOT);
    if (repository.contains("nginx") && port == 80) {
      return Ports::nginx;
    }
    if (repository.contains("code-server") && port == 8080) {
      return Ports::codeServer;
    }
    if (repository.contains("redis") && port == 6379) {
      return Ports::redis;
    }
    if (repository.contains("postgres") && port == 5432) {
      return Ports::postgres;
    }
    return null;
  }

  record HttpRequest(String method, String path, Map<String, String> headers, String body) {}

  static @Nullable HttpRequest readRequest(InputStream in) throws IOException {
    String line = line(in);
    while (line != null && line.isEmpty()) {
      line = line(in);
    }
    if (line == null) {
      return null;
    }
    String[] parts = line.split(" ", -1);
    Map<String, String> headers = new LinkedHashMap<>();
    String header;
    while ((header = line(in)) != null && !header.isEmpty()) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(
            header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            header.substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new HttpRequest(parts[0], parts.length > 1 ? parts[1] : "/", headers, body);
  }

  private static @Nullable String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      line.write(b);
    }
    if (b < 0 && line.size() == 0) {
      return null;
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  /** An HTTP answer as a client reads it: the status code and the body (by Content-Length). */
  static final class HttpResponse {
    private final int code;
    private final byte[] body;

    HttpResponse(int code, byte[] body) {
      this.code = code;
      this.body = body;
    }

    int code() {
      return code;
    }

    byte[] body() {
      return body.clone();
    }
  }

  static @Nullable HttpResponse readResponse(byte[] answer) throws IOException {
    InputStream in = new java.io.ByteArrayInputStream(answer);
    String status = line(in);
    if (status == null || !status.startsWith("HTTP/")) {
      return null;
    }
    String[] parts = status.split(" ", 3);
    int length = -1;
    String header;
    while ((header = line(in)) != null && !header.isEmpty()) {
      if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(header.substring(15).trim());
      }
    }
    byte[] body = length < 0 ? in.readAllBytes() : in.readNBytes(length);
    return new HttpResponse(Integer.parseInt(parts[1]), body);
  }

  static void respond(
      OutputStream out, int code, String reason, Map<String, String> headers, byte[] body)
      throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 " + code + " " + reason + "\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  /** nginx's default server: files under {@code /usr/share/nginx/html}, index.html for folders. */
  static void nginx(FakeContainer container, InputStream in, OutputStream out) throws IOException {
    HttpRequest request;
    while ((request = readRequest(in)) != null) {
      String path = URLDecoder.decode(request.path().split("\\?", -1)[0], StandardCharsets.UTF_8);
      String file = "/usr/share/nginx/html/" + String.join("/", FakeFs.parts(path));
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("Server", "nginx");
      try {
        if (container.exists(file + "/index.html")) {
          file = file + "/index.html";
        } else if (!container.exists(file)) {
          respond(out, 404, "Not Found", headers, html("404 Not Found"));
          continue;
        }
        byte[] body = container.readFile(file);
        headers.put("Content-Type", file.endsWith(".html") ? "text/html" : "text/plain");
        respond(out, 200, "OK", headers, request.method().equals("HEAD") ? new byte[0] : body);
        if (closes(request)) {
          return;
        }
      } catch (IOException e) {
        respond(out, 403, "Forbidden", headers, html("403 Forbidden"));
      }
    }
  }

  /** Whether the client asked to end the connection after this answer. */
  static boolean closes(HttpRequest request) {
    return request.headers().getOrDefault("connection", "").equalsIgnoreCase("close");
  }

  private static byte[] html(String title) {
    return ("<html>\r\n<head><title>"
            + title
            + "</title></head>\r\n<body>\r\n<center><h1>"
            + title
            + "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * code-server with password authentication ({@code $PASSWORD}): everything but the login page
   * redirects to it until a POST of the right password sets the session cookie.
   */
  static void codeServer(FakeContainer container, InputStream in, OutputStream out)
      throws IOException {
    String password = container.env().get("PASSWORD");
    String session = UUID.randomUUID().toString();
    HttpRequest request;
    while ((request = readRequest(in)) != null) {
      Map<String, String> headers = new LinkedHashMap<>();
      String path = request.path().split("\\?", -1)[0];
      boolean signedIn =
          request.headers().getOrDefault("cookie", "").contains("code-server-session=" + session);
      if (path.equals("/login") && request.method().equals("POST")) {
        String form = request.body();
        String given = null;
        for (String pair : form.split("&", -1)) {
          if (pair.startsWith("password=")) {
            given = URLDecoder.decode(pair.substring(9), StandardCharsets.UTF_8);
          }
        }
        if (password != null && Objects.equals(given, password)) {
          headers.put("Set-Cookie", "code-server-session=" + session + "; Path=/; HttpOnly");
          headers.put("Location", "./");
          respond(out, 302, "Found", headers, new byte[0]);
        } else {
          headers.put("Content-Type", "text/html");
          respond(out, 200, "OK", headers, login("Incorrect password"));
        }
      } else if (path.equals("/login")) {
        headers.put("Content-Type", "text/html");
        respond(out, 200, "OK", headers, login(""));
      } else if (signedIn) {
        headers.put("Content-Type", "text/html");
        respond(
            out,
            200,
            "OK",
            headers,
            "<!DOCTYPE html><title>code-server</title>".getBytes(StandardCharsets.UTF_8));
      } else {
        headers.put("Location", "./login");
        respond(out, 302, "Found", headers, new byte[0]);
      }
    }
  }

  private static byte[] login(String error) {
    return ("<!DOCTYPE html><title>code-server login</title><form method=\"post\">"
            + "<input type=\"password\" name=\"password\"/>"
            + (error.isEmpty() ? "" : "<div class=\"error\">" + error + "</div>")
            + "</form>")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Redis: inline and RESP commands PING, AUTH and QUIT; the password is the one the recipe passes
   * to {@code --requirepass} (from {@code REDISCLI_AUTH}).
   */
  static void redis(FakeContainer container, InputStream in, OutputStream out) throws IOException {
    String password = container.env().get("REDISCLI_AUTH");
    boolean authenticated = password == null || password.isEmpty();
    List<String> command;
    while ((command = Resp.read(in)) != null) {
      if (command.isEmpty()) {
        continue;
      }
      String name = command.get(0).toUpperCase(Locale.ROOT);
      String reply;
      if (name.equals("AUTH")) {
        String given = command.get(command.size() - 1);
        authenticated = Objects.equals(given, password);
        reply =
            authenticated
                ? "+OK"
                : "-WRONGPASS invalid username-password pair or user is disabled.";
      } else if (!authenticated) {
        reply = "-NOAUTH Authentication required.";
      } else if (name.equals("PING")) {
        reply = "+PONG";
      } else if (name.equals("QUIT")) {
        out.write("+OK\r\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        return;
      } else {
        reply = "-ERR unknown command '" + command.get(0) + "'";
      }
      out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  /** Postgres: refuses SSL ('N') and answers a startup message by asking for a password. */
  static void postgres(FakeContainer container, InputStream in, OutputStream out)
      throws IOException {
    while (true) {
      byte[] length = in.readNBytes(4);
      if (length.length < 4) {
        return;
      }
      int n =
          ((length[0] & 0xff) << 24)
              | ((length[1] & 0xff) << 16)
              | ((length[2] & 0xff) << 8)
              | (length[3] & 0xff);
      byte[] body = in.readNBytes(Math.max(0, n - 4));
      if (body.length == 4
          && body[0] == 0x04
          && body[1] == (byte) 0xd2
          && body[2] == 0x16
          && body[3] == 0x2f) {
        out.write('N'); // SSLRequest: no TLS here
        out.flush();
        continue;
      }
      // AuthenticationCleartextPassword, then the connection ends (the fake checks no more)
      out.write(new byte[] {'R', 0, 0, 0, 8, 0, 0, 0, 3});
      out.flush();
      return;
    }
  }

  /** The Redis protocol's requests: arrays of bulk strings, or inline words. */
  static final class Resp {
    private Resp() {}

    static @Nullable List<String> read(InputStream in) throws IOException {
      String line = line(in);
      if (line == null) {
        return null;
      }
      if (!line.startsWith("*")) {
        return List.of(line.trim().split("\\s+", -1));
      }
      int count = Integer.parseInt(line.substring(1));
      String[] parts = new String[Math.max(0, count)];
      for (int i = 0; i < parts.length; i++) {
        String size = line(in);
        if (size == null || !size.startsWith("$")) {
          return null;
        }
        byte[] data = in.readNBytes(Integer.parseInt(size.substring(1)));
        line(in);
        parts[i] = new String(data, StandardCharsets.UTF_8);
      }
      return List.of(parts);
    }
  }
}
