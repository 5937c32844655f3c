package dev.devkube.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devkube.DevkubeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
  private static final String POD =
      "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}";
  @TempDir Path dir;
  private KubeServer server;

  @BeforeEach
  void start() throws Exception {
    server = new KubeServer(false);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(String name, String yaml) throws Exception {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, yaml);
    return file;
  }

  /** Asks for pod p and returns what the server saw. */
  private RecordedRequest getPod(KubeClient kube) throws Exception {
    server.enqueue(200, POD);
    try (kube) {
      kube.resource(KubeObject.of("v1", "Pod", "p")).get();
    }
    return server.take();
  }

  private String config(String userBlock, String currentContext) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: %s
            certificate-authority-data: %s
        - name: elsewhere
          cluster:
            server: https://198.51.100.1:6443
        users:
        %s
        contexts:
        - name: dev
          context: {cluster: test, user: dev-user, namespace: team-a}
        - name: ops
          context: {cluster: test, user: ops-user}
        current-context: %s
        """
        .formatted(
            server.url(), b64(KubeServer.SERVER_CA.certificatePem()), userBlock, currentContext);
  }

  @Test
  void theCurrentContextDecidesUserAndNamespace() throws Exception {
    Path file =
        write(
            "config",
            config(
                """
        - name: dev-user
          user: {token: dev-token}
        - name: ops-user
          user: {token: ops-token}""",
                "dev"));

    KubeClient dev = KubeClient.fromKubeconfig(file, null);
    assertThat(dev.namespace()).isEqualTo("team-a");
    RecordedRequest asDev = getPod(dev);
    assertThat(asDev.getHeaders().get("Authorization")).isEqualTo("Bearer dev-token");
    assertThat(asDev.getTarget()).isEqualTo("/api/v1/namespaces/team-a/pods/p");

    RecordedRequest asOps = getPod(KubeClient.fromKubeconfig(file, "ops"));
    assertThat(asOps.getHeaders().get("Authorization")).isEqualTo("Bearer ops-token");
    assertThat(asOps.getTarget()).isEqualTo("/api/v1/namespaces/default/pods/p");
  }

  @Test
  void certificateFilesAreRelativeToTheKubeconfig() throws Exception {
    KubeServer mtls = new KubeServer(true);
    try {
      write("certs/ca.pem", KubeServer.SERVER_CA.certificatePem());
      write("certs/admin.crt", KubeServer.CLIENT_EC.certificatePem());
      write("certs/admin.key", KubeServer.CLIENT_EC.privateKeyPkcs8Pem());
      Path file =
          write(
              "config",
              """
          apiVersion: v1
          kind: Config
          clusters:
          - {name: c, cluster: {server: "%s", certificate-authority: certs/ca.pem}}
          users:
          - {name: u, user: {client-certificate: certs/admin.crt, client-key: certs/admin.key}}
          contexts:
          - {name: x, context: {cluster: c, user: u}}
          current-context: x
          """
                  .formatted(mtls.url()));
      mtls.enqueue(200, POD);
      try (KubeClient kube = KubeClient.fromKubeconfig(file, null)) {
        kube.resource(KubeObject.of("v1", "Pod", "p")).get();
      }
      assertThat(KubeServer.peer(mtls.take())).contains("admin-ec");
    } finally {
      mtls.close();
    }
  }

  @Test
  void inlineClientCertificateData() throws Exception {
    KubeServer mtls = new KubeServer(true);
    try {
      Path file =
          write(
              "config",
              """
          apiVersion: v1
          clusters:
          - {name: c, cluster: {server: "%s", certificate-authority-data: %s}}
          users:
          - {name: u, user: {client-certificate-data: %s, client-key-data: %s}}
          contexts:
          - {name: x, context: {cluster: c, user: u}}
          current-context: x
          """
                  .formatted(
                      mtls.url(),
                      b64(KubeServer.SERVER_CA.certificatePem()),
                      b64(KubeServer.CLIENT_RSA.certificatePem()),
                      b64(KubeServer.CLIENT_RSA.privateKeyPkcs1Pem())));
      mtls.enqueue(200, POD);
      try (KubeClient kube = KubeClient.fromKubeconfig(file, null)) {
        kube.resource(KubeObject.of("v1", "Pod", "p")).get();
      }
      assertThat(KubeServer.peer(mtls.take())).contains("admin-rsa");
    } finally {
      mtls.close();
    }
  }

  @Test
  void aTokenFileIsRead() throws Exception {
    write("token", "file-token\n");
    Path file =
        write(
            "config",
            config(
                """
        - name: dev-user
          user: {tokenFile: token}""",
                "dev"));

    assertThat(getPod(KubeClient.fromKubeconfig(file, null)).getHeaders().get("Authorization"))
        .isEqualTo("Bearer file-token");
  }

  @Test
  void anExecPluginIsRunAndItsTokenUsed() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to run a test plugin");
    Path plugin =
        write(
            "bin/credential.sh",
            """
        #!/bin/sh
        echo "$1:$DEVKUBE_TEST" >> "$(dirname "$0")/runs"
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
        printf '"status":{"token":"exec-%s","expirationTimestamp":"2099-01-01T00:00:00Z"}}' "$1"
        """);
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
    Path file =
        write(
            "config",
            config(
                """
        - name: dev-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./bin/credential.sh
              args: [abc]
              env:
              - {name: DEVKUBE_TEST, value: from-env}""",
                "dev"));

    assertThat(getPod(KubeClient.fromKubeconfig(file, null)).getHeaders().get("Authorization"))
        .isEqualTo("Bearer exec-abc");
    assertThat(Files.readString(dir.resolve("bin/runs"))).isEqualTo("abc:from-env\n");
  }

  @Test
  void anExecPluginRunsInBuildNotWhileTheBuilderIsConfigured() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to run a test plugin");
    Path plugin =
        write(
            "bin/credential.sh",
            """
        #!/bin/sh
        echo ran >> "$(dirname "$0")/runs"
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",'
        printf '"status":{"token":"exec-token","expirationTimestamp":"2099-01-01T00:00:00Z"}}'
        """);
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
    Path file =
        write(
            "config",
            config(
                """
        - name: dev-user
          user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ./bin/credential.sh}}""",
                "dev"));
    KubeClient.Builder builder =
        KubeClient.builder()
            .kubeconfig(dev.devkube.k8s.internal.Kubeconfig.load(List.of(file)).connection(null));
    assertThat(dir.resolve("bin/runs")).doesNotExist();

    assertThat(getPod(builder.build()).getHeaders().get("Authorization"))
        .isEqualTo("Bearer exec-token");
    assertThat(Files.readString(dir.resolve("bin/runs"))).isEqualTo("ran\n");
  }

  @Test
  void aFailingExecPluginSaysWhy() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "needs /bin/sh to run a test plugin");
    Path plugin = write("fail.sh", "#!/bin/sh\necho 'not logged in' >&2\nexit 3\n");
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
    Path file =
        write(
            "config",
            config(
                """
        - name: dev-user
          user: {exec: {command: ./fail.sh}}""",
                "dev"));

    assertThatThrownBy(() -> KubeClient.fromKubeconfig(file, null))
        .isInstanceOf(DevkubeException.class)
        .hasMessage("the kubeconfig exec plugin ./fail.sh failed with exit code 3: not logged in");
  }

  @Test
  void severalFilesMergeFirstDefinitionWins() throws Exception {
    Path first =
        write(
            "a",
            """
        apiVersion: v1
        users:
        - {name: dev-user, user: {token: from-first}}
        current-context: dev
        """);
    Path second =
        write(
            "b",
            config(
                """
        - name: dev-user
          user: {token: from-second}""",
                "ops"));

    assertThat(
            getPod(KubeClient.fromKubeconfig(List.of(first, second), null))
                .getHeaders()
                .get("Authorization"))
        .isEqualTo("Bearer from-first");
    assertThat(Locations.kubeconfigFiles(first + java.io.File.pathSeparator + second, dir))
        .containsExactly(first, second);
    assertThat(Locations.kubeconfigFiles(null, dir)).containsExactly(dir.resolve(".kube/config"));
  }

  @Test
  void insecureSkipTlsVerifyTrustsAnyServer() throws Exception {
    Path file =
        write(
            "config",
            """
        apiVersion: v1
        clusters:
        - {name: c, cluster: {server: "%s", insecure-skip-tls-verify: true}}
        users:
        - {name: u, user: {token: t}}
        contexts:
        - {name: x, context: {cluster: c, user: u}}
        current-context: x
        """
                .formatted(server.url()));

    assertThat(getPod(KubeClient.fromKubeconfig(file, null)).getMethod()).isEqualTo("GET");
  }

  @Test
  void mistakesNameWhatIsMissing() throws Exception {
    Path file = write("config", config("- {name: dev-user, user: {token: t}}", "dev"));

    assertThatThrownBy(() -> KubeClient.fromKubeconfig(file, "prod"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kubeconfig [" + file + "] has no context \"prod\": it has dev, ops");
    assertThatThrownBy(() -> KubeClient.fromKubeconfig(file, "ops"))
        .hasMessage(
            "context \"ops\" names user \"ops-user\", which the kubeconfig does not define");
    assertThatThrownBy(
            () -> KubeClient.fromKubeconfig(List.of(dir.resolve("missing")), (String) null))
        .hasMessage(
            "no kubeconfig found at ["
                + dir.resolve("missing")
                + "]: set KUBECONFIG, or create"
                + " ~/.kube/config");
    Path badKey =
        write(
            "bad",
            """
        apiVersion: v1
        clusters:
        - {name: c, cluster: {server: "https://127.0.0.1:1"}}
        users:
        - {name: u, user: {client-certificate-data: %s, client-key-data: %s}}
        contexts:
        - {name: x, context: {cluster: c, user: u}}
        current-context: x
        """
                .formatted(b64(KubeServer.CLIENT_EC.certificatePem()), b64("garbage")));
    assertThatThrownBy(() -> KubeClient.fromKubeconfig(badKey, null))
        .hasMessage(
            "user \"u\" client-key holds no PEM private key (expected PRIVATE KEY, RSA PRIVATE"
                + " KEY or EC PRIVATE KEY)");
  }

  @Test
  void inClusterUsesTheServiceAccount() throws Exception {
    Path account = dir.resolve("serviceaccount");
    Files.createDirectories(account);
    Files.writeString(account.resolve("ca.crt"), KubeServer.SERVER_CA.certificatePem());
    Files.writeString(account.resolve("token"), "sa-token\n");
    Files.writeString(account.resolve("namespace"), "team-b");

    KubeClient kube =
        Locations.inCluster(
                Map.of(
                    "KUBERNETES_SERVICE_HOST",
                    "localhost",
                    "KUBERNETES_SERVICE_PORT",
                    String.valueOf(server.server.getPort())),
                account)
            .build();

    assertThat(kube.namespace()).isEqualTo("team-b");
    RecordedRequest request = getPod(kube);
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer sa-token");
    assertThat(request.getTarget()).isEqualTo("/api/v1/namespaces/team-b/pods/p");
    assertThatThrownBy(() -> Locations.inCluster(Map.of(), account))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("not running in a pod: KUBERNETES_SERVICE_HOST is not set");
  }

  @Test
  void inAPodWithoutAKubeconfigTheServiceAccountIsTheDefault() throws Exception {
    Path none = dir.resolve(".kube/config");
    Map<String, String> pod = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");
    assertThat(Locations.inPodWithoutKubeconfig(pod, List.of(none))).isTrue();
    // A kubeconfig, or KUBECONFIG, wins over the pod's account, as with kubectl.
    Path file = write(".kube/config", config("- {name: dev-user, user: {token: t}}", "dev"));
    assertThat(Locations.inPodWithoutKubeconfig(pod, List.of(file))).isFalse();
    assertThat(
            Locations.inPodWithoutKubeconfig(
                Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBECONFIG", "/x"), List.of(none)))
        .isFalse();
    assertThat(Locations.inPodWithoutKubeconfig(Map.of(), List.of(none))).isFalse();
  }

  @Test
  void aKubeconfigPathThatIsNotThereIsNamedAsSuch() {
    Path missing = dir.resolve("nowhere/kubeconfig");
    assertThatThrownBy(() -> KubeClient.fromKubeconfig(missing, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "no kubeconfig at "
                + missing
                + ": there is no such file (give the path of a kubeconfig)");
  }

  @Test
  void plainHttpOnlyToThisMachine() throws Exception {
    try (mockwebserver3.MockWebServer proxy = new mockwebserver3.MockWebServer()) {
      proxy.start(java.net.InetAddress.getLoopbackAddress(), 0);
      proxy.enqueue(
          new mockwebserver3.MockResponse.Builder()
              .code(200)
              .addHeader("Content-Type", "application/json")
              .body(POD)
              .build());
      // kubectl proxy: http on loopback, authenticated by the proxy itself.
      try (KubeClient kube =
          KubeClient.builder().server("http://127.0.0.1:" + proxy.getPort()).build()) {
        assertThat(kube.resource(KubeObject.of("v1", "Pod", "p")).get()).isPresent();
      }
      assertThat(proxy.takeRequest().getTarget()).isEqualTo("/api/v1/namespaces/default/pods/p");
    }
    for (String remote : List.of("http://203.0.113.7:8001", "http://kube.example:80")) {
      assertThatThrownBy(() -> KubeClient.builder().server(remote))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not an https URL")
          .hasMessageContaining("kubectl proxy's http://127.0.0.1:8001");
    }
    assertThat(KubeClient.builder().server("http://localhost:8001")).isNotNull();
    assertThat(KubeClient.builder().server("http://[::1]:8001")).isNotNull();
  }

  @Test
  void aContextOfTheUsualKubeconfigIsChosenByName() throws Exception {
    assumeTrue(
        System.getenv("KUBECONFIG") == null,
        "KUBECONFIG is set in this environment: the usual file would not be ~/.kube/config");
    write(
        ".kube/config",
        config(
            """
        - name: dev-user
          user: {token: dev-token}
        - name: ops-user
          user: {token: ops-token}""",
            "dev"));
    String home = System.getProperty("user.home");
    System.setProperty("user.home", dir.toString());
    try {
      assertThat(getPod(KubeClient.fromKubeconfig("ops")).getHeaders().get("Authorization"))
          .isEqualTo("Bearer ops-token");
      KubeClient viaBuilder = KubeClient.builder().context("ops").namespace("team-c").build();
      assertThat(viaBuilder.namespace()).isEqualTo("team-c");
      assertThat(getPod(viaBuilder).getHeaders().get("Authorization"))
          .isEqualTo("Bearer ops-token");
      assertThat(getPod(KubeClient.fromKubeconfig()).getHeaders().get("Authorization"))
          .isEqualTo("Bearer dev-token");
      assertThatThrownBy(() -> KubeClient.fromKubeconfig("prod"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prod");
    } finally {
      System.setProperty("user.home", home);
    }
  }
}
