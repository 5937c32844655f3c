package dev.devkube.k8s;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.ApiException;
import dev.devkube.DevkubeException;
import dev.devkube.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The exec wire protocol against WebSocket frames as the API server sends them: channel bytes, the
 * status channel's Status, the v5 close signal, v4 servers, refusals and cut streams.
 */
class ExecProtocolTest {
  private KubeServer server;
  private KubeClient kube;

  @BeforeEach
  void start() throws Exception {
    server = new KubeServer(false);
    kube = server.builder().token("t").build();
  }

  @AfterEach
  void stop() throws Exception {
    kube.close();
    server.close();
  }

  private static ByteString frame(int channel, String text) {
    byte[] data = text.getBytes(UTF_8);
    byte[] message = new byte[data.length + 1];
    message[0] = (byte) channel;
    System.arraycopy(data, 0, message, 1, data.length);
    return ByteString.of(message);
  }

  /** A server that answers the upgrade with {@code protocol} and then runs {@code script}. */
  private void upgrade(String protocol, WebSocketListener script) {
    server.enqueue(
        new MockResponse.Builder()
            .addHeader("Sec-WebSocket-Protocol", protocol)
            .webSocketUpgrade(script)
            .build());
  }

  @Test
  void aV4ServerGivesOutputAndTheExitCodeFromTheStatusChannel() throws Exception {
    upgrade(
        "v4.channel.k8s.io",
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket ws, Response response) {
            ws.send(frame(1, "out"));
            ws.send(frame(2, "err"));
            ws.send(
                frame(
                    3,
                    "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with"
                        + " non-zero exit code: exit status 42\",\"reason\":\"NonZeroExitCode\","
                        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"42\"}]}}"));
            ws.close(1000, "");
          }
        });
    ExecResult result = kube.pod("default", "web").exec("sh", "-c", "exit 42");
    assertThat(result.exitCode()).isEqualTo(42);
    assertThat(result.stdout()).isEqualTo("out");
    assertThat(result.stderr()).isEqualTo("err");

    RecordedRequest request = server.server.takeRequest();
    assertThat(request.getHeaders().get("Sec-WebSocket-Protocol"))
        .isEqualTo("v5.channel.k8s.io, v4.channel.k8s.io");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/api/v1/namespaces/default/pods/web/exec");
    assertThat(request.getUrl().queryParameterValues("command"))
        .containsExactly("sh", "-c", "exit 42");
    assertThat(request.getUrl().queryParameter("stdout")).isEqualTo("true");
    assertThat(request.getUrl().queryParameter("stdin")).isEqualTo("false");
  }

  @Test
  void onV5TheEndOfInputIsSignalled() throws Exception {
    List<ByteString> received = new CopyOnWriteArrayList<>();
    upgrade(
        "v5.channel.k8s.io",
        new WebSocketListener() {
          @Override
          public void onMessage(WebSocket ws, ByteString bytes) {
            received.add(bytes);
            if (bytes.equals(ByteString.of((byte) 255, (byte) 0))) {
              ws.send(frame(1, "got it"));
              ws.send(frame(3, "{\"metadata\":{},\"status\":\"Success\"}"));
              ws.close(1000, "");
            }
          }
        });
    ExecResult result = kube.pod("default", "web").exec(ExecOptions.defaults().stdin("abc"), "cat");
    assertThat(result.exitCode()).isZero();
    assertThat(result.stdout()).isEqualTo("got it");
    assertThat(received).containsExactly(frame(0, "abc"), ByteString.of((byte) 255, (byte) 0));
  }

  @Test
  void aRefusedUpgradeIsTheServersStatusWithItsRequestId() {
    server.enqueue(
        403,
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"pods"
            + " \\\"web\\\" is forbidden: User \\\"dev\\\" cannot create resource"
            + " \\\"pods/exec\\\" in API group \\\"\\\" in the namespace \\\"default\\\"\","
            + "\"reason\":\"Forbidden\",\"code\":403}",
        "Audit-Id",
        "audit-123");
    assertThatThrownBy(() -> kube.pod("default", "web").exec("ls"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("cannot create resource \"pods/exec\"")
        .satisfies(
            e -> {
              assertThat(((ApiException) e).statusCode()).isEqualTo(403);
              assertThat(((ApiException) e).requestId()).isEqualTo("audit-123");
            });
  }

  @Test
  void aStreamCutBeforeTheStatusIsATransportError() {
    upgrade(
        "v5.channel.k8s.io",
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket ws, Response response) {
            ws.send(frame(1, "partial"));
            ws.cancel();
          }
        });
    assertThatThrownBy(() -> kube.pod("default", "web").exec("ls"))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("\"ls\" in pod default/web");
  }

  @Test
  void aCommandThatCouldNotStartIsAnErrorNotAnExitCode() {
    upgrade(
        "v5.channel.k8s.io",
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket ws, Response response) {
            ws.send(
                frame(
                    3,
                    "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error"
                        + " occurred: error executing command in container: exec: \\\"nope\\\":"
                        + " executable file not found in $PATH\",\"reason\":\"InternalError\","
                        + "\"code\":500}"));
            ws.close(1000, "");
          }
        });
    assertThatThrownBy(() -> kube.pod("default", "web").exec("nope"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("executable file not found")
        .satisfies(e -> assertThat(((ApiException) e).statusCode()).isEqualTo(500));
  }

  @Test
  void aServerThatChoosesNoKnownProtocolIsRefused() {
    upgrade("channel.k8s.io", new WebSocketListener() {});
    assertThatThrownBy(() -> kube.pod("default", "web").exec("ls"))
        .isInstanceOf(DevkubeException.class)
        .hasMessageContaining("chose the stream protocol \"channel.k8s.io\"");
  }

  @Test
  void aSessionThatRunsTooLongTimesOutAndKeepsRunning() {
    upgrade("v5.channel.k8s.io", new WebSocketListener() {});
    assertThatThrownBy(
            () ->
                kube.pod("default", "web")
                    .exec(ExecOptions.defaults().timeout(Duration.ofMillis(200)), "sleep", "9"))
        .isInstanceOf(dev.devkube.WaitTimeoutException.class)
        .hasMessageContaining("\"sleep 9\" in pod default/web to end");
  }

  @Test
  void portForwardStripsThePortPrefixAndCarriesBytesBothWays() throws Exception {
    server.enqueue(
        200,
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\","
            + "\"namespace\":\"default\"},\"status\":{\"phase\":\"Running\"}}");
    upgrade(
        "v4.channel.k8s.io",
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket ws, Response response) {
            ws.send(ByteString.of((byte) 0, (byte) 80, (byte) 0));
            ws.send(ByteString.of((byte) 1, (byte) 80, (byte) 0));
          }

          @Override
          public void onMessage(WebSocket ws, ByteString bytes) {
            ws.send(frame(0, "echo:" + bytes.substring(1).utf8()));
            ws.close(1000, "");
          }
        });
    upgrade(
        "v4.channel.k8s.io",
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket ws, Response response) {
            ws.send(ByteString.of((byte) 0, (byte) 80, (byte) 0));
            ws.send(ByteString.of((byte) 1, (byte) 80, (byte) 0));
            ws.send(frame(1, "error forwarding port 80 to pod 1234: connection refused"));
            ws.close(1000, "");
          }
        });
    try (PortForward forward = kube.pod("default", "web").portForward(80)) {
      try (java.net.Socket socket =
          new java.net.Socket(forward.localAddress().getAddress(), forward.localPort())) {
        socket.getOutputStream().write("ping".getBytes(UTF_8));
        assertThat(new String(socket.getInputStream().readAllBytes(), UTF_8))
            .isEqualTo("echo:ping");
      }
      try (java.net.Socket socket =
          new java.net.Socket(forward.localAddress().getAddress(), forward.localPort())) {
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(forward.lastError())
          .isEqualTo("error forwarding port 80 to pod 1234: connection refused");
    }
    server.server.takeRequest(); // the pod
    RecordedRequest upgrade = server.server.takeRequest();
    assertThat(upgrade.getUrl().encodedPath())
        .isEqualTo("/api/v1/namespaces/default/pods/web/portforward");
    assertThat(upgrade.getUrl().queryParameter("ports")).isEqualTo("80");
    assertThat(upgrade.getHeaders().get("Sec-WebSocket-Protocol")).isEqualTo("v4.channel.k8s.io");
  }
}
