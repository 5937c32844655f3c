package dev.devkube.testkit.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fake's {@code curl}, for reaching other pods from inside one: {@code telnet://host:port}
 * (standard input to the port, its answer to standard output) and {@code http://host[:port]/path}
 * (a GET; the body printed, {@code -f} failing on 400 and above). Names resolve as in {@link
 * Network}; the exit codes are curl's: 6 for a name that does not resolve, 7 for a refused
 * connection, 22 for {@code -f} and an error status.
 */
final class CurlCommand {
  /** Connects to a port in the cluster: 0 when served, 6 when the name is unknown, 7 refused. */
  interface Connector {
    int connect(String host, int port, InputStream in, OutputStream out) throws IOException;
  }

  private final Connector connector;

  CurlCommand(Connector connector) {
    this.connector = connector;
  }

  int run(List<String> args, InputStream in, OutputStream out, PrintStream err) throws IOException {
    String url = null;
    boolean fail = false;
    for (int i = 1; i < args.size(); i++) {
      String arg = args.get(i);
      if (List.of("-m", "--max-time", "--connect-timeout", "-H", "-o").contains(arg)) {
        i++; // an option's value: times do not matter here, headers and files are not supported
      } else if (arg.startsWith("-") && !arg.startsWith("--")) {
        fail |= arg.contains("f");
      } else if (!arg.startsWith("--")) {
        url = arg;
      }
    }
    if (url == null) {
      err.println("curl: no URL specified");
      return 2;
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      err.println("curl: (3) URL rejected: Malformed input to a URL function");
      return 3;
    }
    String scheme = String.valueOf(uri.getScheme());
    String host = String.valueOf(uri.getHost());
    int port = uri.getPort();
    if (scheme.equals("telnet")) {
      return status(connector.connect(host, port < 0 ? 23 : port, in, out), host, port, err);
    }
    if (!scheme.equals("http")) {
      err.println("curl: (1) Protocol \"" + scheme + "\" not supported");
      return 1;
    }
    port = port < 0 ? 80 : port;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    byte[] request =
        ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    int connected = connector.connect(host, port, new ByteArrayInputStream(request), answer);
    if (connected != 0) {
      return status(connected, host, port, err);
    }
    Ports.HttpResponse response = Ports.readResponse(answer.toByteArray());
    if (response == null) {
      err.println("curl: (52) Empty reply from server");
      return 52;
    }
    if (fail && response.code() >= 400) {
      err.println("curl: (22) The requested URL returned error: " + response.code());
      return 22;
    }
    out.write(response.body());
    return 0;
  }

  private static int status(int code, String host, int port, PrintStream err) {
    if (code == 6) {
      err.println("curl: (6) Could not resolve host: " + host);
    } else if (code == 7) {
      err.println(
          "curl: (7) Failed to connect to "
              + host
              + " port "
              + port
              + " after 0 ms: Couldn't connect to server");
    }
    return code;
  }
}
