package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class ClusterCredentialsTest {
  static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBCA==\n-----END CERTIFICATE-----\n";
  static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIBCERT\n-----END CERTIFICATE-----\n";
  static final String KEY =
      "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEsecret\n-----END EC PRIVATE KEY-----\n";
  static final String TOKEN = "dop_v1_0123456789abcdefSECRET";
  static final URI SERVER =
      URI.create("https://bd5f5959-5e1e-4205-a714-a914373942af.k8s.ondigitalocean.com");
  static final String ID = "bd5f5959-5e1e-4205-a714-a914373942af";

  @TempDir Path tmp;

  private static ClusterCredentials token() {
    return ClusterCredentials.ofToken(
        ID, "devkube", SERVER, CA, TOKEN, Instant.parse("2026-12-01T10:00:00Z"));
  }

  private static ClusterCredentials certificate() {
    return ClusterCredentials.ofClientCertificate(ID, "devkube", SERVER, CA, CERT, KEY);
  }

  @Test
  void writesTokenCredentialsKubeconfigAndEnvironment() throws IOException {
    Path dir = tmp.resolve(".devkube").resolve("devkube");

    List<Path> written = token().writeTo(dir);

    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("ca.pem", "token", "kubeconfig", "cluster.env");
    assertThat(Files.readString(dir.resolve("ca.pem"))).isEqualTo(CA);
    assertThat(Files.readString(dir.resolve("token"))).isEqualTo(TOKEN + "\n");
    assertThat(Files.readString(dir.resolve("cluster.env")))
        .isEqualTo("export DO_CLUSTER_ID=" + ID + "\nexport DO_CLUSTER_URL=" + SERVER + "\n");
    assertThat(dir.resolve("cert.pem")).doesNotExist();
    assertThat(dir.resolve("key.pem")).doesNotExist();
  }

  @Test
  void anExistingFolderOpenToOthersIsMadePrivate() throws IOException {
    assumeTrue(
        tmp.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX files");
    Path dir = tmp.resolve("shared");
    Files.createDirectory(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

    token().writeTo(dir);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
  }

  @Test
  void aFileThatCannotBeWrittenIsAFileAccessExceptionNamingIt() throws IOException {
    Path blocker = tmp.resolve("not-a-folder");
    Files.writeString(blocker, "x");

    assertThatThrownBy(() -> token().writeTo(blocker.resolve("creds")))
        .isInstanceOfSatisfying(
            FileAccessException.class,
            e -> assertThat(e.path()).isEqualTo(blocker.resolve("creds")))
        .hasMessageStartingWith(
            "could not write the credentials of cluster devkube to " + blocker.resolve("creds"));
  }

  @Test
  void writesClientCertificateAndKey() throws IOException {
    Path dir = tmp.resolve("creds");

    List<Path> written = certificate().writeTo(dir);

    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("ca.pem", "cert.pem", "key.pem", "kubeconfig", "cluster.env");
    assertThat(Files.readString(dir.resolve("cert.pem"))).isEqualTo(CERT);
    assertThat(Files.readString(dir.resolve("key.pem"))).isEqualTo(KEY);
    assertThat(dir.resolve("token")).doesNotExist();
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubeconfigIsReadyForKubectl() throws IOException {
    Path dir = tmp.resolve("creds");
    token().writeTo(dir);

    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(dir.resolve("kubeconfig")));

    assertThat(config)
        .containsEntry("apiVersion", "v1")
        .containsEntry("kind", "Config")
        .containsEntry("current-context", "devkube");
    Map<String, Object> cluster = only(config, "clusters");
    assertThat(cluster).containsEntry("name", "devkube");
    Map<String, Object> clusterData =
        (Map<String, Object>) Objects.requireNonNull(cluster.get("cluster"));
    assertThat(clusterData).containsEntry("server", SERVER.toString());
    assertThat(decode(clusterData.get("certificate-authority-data"))).isEqualTo(CA);
    Map<String, Object> user = only(config, "users");
    assertThat(user).containsEntry("name", "devkube-admin");
    assertThat((Map<String, Object>) user.get("user")).containsOnly(Map.entry("token", TOKEN));
    Map<String, Object> context = only(config, "contexts");
    assertThat(context).containsEntry("name", "devkube");
    assertThat((Map<String, Object>) context.get("context"))
        .containsEntry("cluster", "devkube")
        .containsEntry("user", "devkube-admin");
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubeconfigCarriesClientCertificateData() {
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(certificate().kubeconfig());

    Map<String, Object> user =
        (Map<String, Object>) Objects.requireNonNull(only(config, "users").get("user"));
    assertThat(decode(user.get("client-certificate-data"))).isEqualTo(CERT);
    assertThat(decode(user.get("client-key-data"))).isEqualTo(KEY);
    assertThat(user).doesNotContainKey("token");
  }

  @Test
  void filesAreOwnerOnlyAndTheNewDirectoryIs0700() throws IOException {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "this file system has no POSIX permissions");
    Path dir = tmp.resolve("a").resolve("b");

    for (Path file : certificate().writeTo(dir)) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .as(file.toString())
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
        .isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void rewritingReplacesFilesAtomicallyAndRemovesTheOtherKind() throws IOException {
    Path dir = tmp.resolve("creds");
    certificate().writeTo(dir);
    Object keyFileBefore =
        Files.readAttributes(
                dir.resolve("kubeconfig"), java.nio.file.attribute.BasicFileAttributes.class)
            .fileKey();

    token().writeTo(dir);

    assertThat(dir.resolve("cert.pem")).doesNotExist();
    assertThat(dir.resolve("key.pem")).doesNotExist();
    assertThat(Files.readString(dir.resolve("token"))).isEqualTo(TOKEN + "\n");
    assertThat(Files.readString(dir.resolve("kubeconfig"))).contains("token:");
    if (keyFileBefore != null) {
      // A new inode: the file was replaced by a rename, not rewritten in place.
      assertThat(
              Files.readAttributes(
                      dir.resolve("kubeconfig"), java.nio.file.attribute.BasicFileAttributes.class)
                  .fileKey())
          .isNotEqualTo(keyFileBefore);
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("ca.pem", "token", "kubeconfig", "cluster.env");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void withoutACaTheKubeconfigTrustsTheDefaultAuthorities() throws IOException {
    ClusterCredentials publicCa =
        ClusterCredentials.ofToken(ID, "devkube", SERVER, null, TOKEN, null);
    Path dir = tmp.resolve("creds");
    token().writeTo(dir);

    List<Path> written = publicCa.writeTo(dir);

    assertThat(written)
        .extracting(p -> p.getFileName().toString())
        .containsExactly("token", "kubeconfig", "cluster.env");
    assertThat(dir.resolve("ca.pem")).doesNotExist();
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build()).loadFromString(publicCa.kubeconfig());
    assertThat((Map<String, Object>) only(config, "clusters").get("cluster"))
        .containsOnly(Map.entry("server", SERVER.toString()));
  }

  @Test
  void toStringShowsNoSecret() {
    assertThat(token().toString())
        .isEqualTo(
            "ClusterCredentials[cluster=devkube ("
                + ID
                + "), server="
                + SERVER
                + ", auth=token, expiresAt=2026-12-01T10:00:00Z]")
        .doesNotContain(TOKEN);
    assertThat(certificate().toString())
        .contains("auth=client certificate")
        .doesNotContain("secret")
        .doesNotContain("MIIB");
  }

  @Test
  void expiryIsCheckedAgainstAClock() {
    ClusterCredentials credentials = token();
    Clock before = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    Clock after = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    assertThat(credentials.isExpired(before)).isFalse();
    assertThat(credentials.isExpired(after)).isTrue();
    assertThat(credentials.expiresWithin(Duration.ofDays(1), before)).isTrue();
    assertThat(credentials.expiresWithin(Duration.ofHours(1), before)).isFalse();
    assertThat(certificate().isExpired(after)).isFalse();
  }

  @Test
  void shellSpecialValuesAreQuotedInClusterEnv() throws IOException {
    ClusterCredentials odd =
        ClusterCredentials.ofToken("id with space", "devkube", SERVER, CA, TOKEN, null);

    odd.writeTo(tmp);

    assertThat(Files.readString(tmp.resolve("cluster.env")))
        .startsWith("export DO_CLUSTER_ID='id with space'\n");
  }

  @Test
  void badCredentialsAreRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                ClusterCredentials.ofToken(
                    ID, "devkube", URI.create("http://example.com"), CA, TOKEN, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "server http://example.com is not an https URL: give the API server's address,"
                + " such as https://203.0.113.7:6443");
    assertThatThrownBy(
            () -> ClusterCredentials.ofToken(ID, "devkube", SERVER, "not a pem", TOKEN, null))
        .hasMessage(
            "CA certificate is not PEM: expected a block starting with"
                + " \"-----BEGIN CERTIFICATE-----\"");
    assertThatThrownBy(
            () -> ClusterCredentials.ofToken(ID, "devkube", SERVER, CA, "Bearer abc", null))
        .hasMessage(
            "the token is empty or contains spaces or control characters: give the token"
                + " alone, without \"Bearer \" or a line break")
        .hasMessageNotContaining("abc");
    assertThatThrownBy(
            () -> new ClusterCredentials(ID, "devkube", SERVER, CA, CERT, null, null, null))
        .hasMessage(
            "a client certificate needs its key and a key needs its certificate: give both"
                + " or neither");
    assertThatThrownBy(
            () -> new ClusterCredentials(ID, "devkube", SERVER, CA, null, null, null, null))
        .hasMessage(
            "credentials for cluster devkube have neither a token nor a client certificate:"
                + " give one of them");
    assertThatThrownBy(
            () -> ClusterCredentials.ofClientCertificate(ID, "devkube", SERVER, CA, CERT, CERT))
        .hasMessage(
            "client key is not PEM: expected a block starting with"
                + " \"-----BEGIN ... PRIVATE KEY-----\"");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> only(Map<String, Object> config, String key) {
    List<Object> list = (List<Object>) config.get(key);
    assertThat(list).hasSize(1);
    return (Map<String, Object>) list.get(0);
  }

  private static String decode(@Nullable Object base64) {
    return new String(Base64.getDecoder().decode((String) base64), StandardCharsets.UTF_8);
  }
}
