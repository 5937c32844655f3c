package dev.devkube.examples;

import dev.devkube.Cluster;
import dev.devkube.ClusterOptions;
import dev.devkube.ClusterSpec;
import dev.devkube.DevkubeException;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.recipes.DevEnvironment;
import dev.devkube.testkit.FakeDigitalOcean;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.time.Duration;
import java.util.List;

/**
 * The README's main job: the flow end to end, on DigitalOcean when a token is set, else on the
 * built-in fakes (and it says so): create (or adopt) the cluster, wait for it, save its
 * credentials, connect, deploy the development environment (NFS, then ssh and web wired to it) and
 * print the access points. With a token this run only reads your account: creating billable
 * resources waits for the confirmation prompt of the full demo.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    boolean hasToken = DigitalOcean.TOKEN_VARIABLES.stream()
        .map(System::getenv).anyMatch(v -> v != null && !v.isBlank());
    try {
      if (hasToken) {
        readAccount();
      } else {
        onFakes();
      }
    } catch (DevkubeException | IllegalArgumentException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
  }

  private static ClusterSpec spec() {
    return ClusterSpec.named("devkube").region("sfo2").latestVersion()
        .nodePool("devpool", "s-2vcpu-4gb", 2);
  }

  /** The whole flow against FakeDigitalOcean and FakeKubernetes: nothing real is touched. */
  private static void onFakes() {
    System.out.println("devkube demo: no DigitalOcean token is set, so this runs on the built-in fakes"
        + " (FakeDigitalOcean and FakeKubernetes); every address below is simulated");
    try (FakeDigitalOcean fake = FakeDigitalOcean.builder().provisioningTime(Duration.ofSeconds(2)).start();
        DigitalOcean cloud = DigitalOcean.builder().token(FakeDigitalOcean.TOKEN)
            .baseUrl(fake.url().toString()).build()) {
      Cluster cluster = cloud.clusters().createOrGet(spec())
          .awaitRunning(Duration.ofMinutes(1), p -> System.out.println("  " + p));
      System.out.println("cluster:       " + cluster.name() + " (" + cluster.id() + ") " + cluster.status().slug()
          + " on " + cluster.version() + " at " + cluster.endpoint());
      Path folder = Path.of(".devkube", cluster.name());
      List<Path> files = cluster.credentials().writeTo(folder);
      System.out.println("credentials:   " + folder + " " + files.stream()
          .map(p -> p.getFileName().toString()).toList() + " (0600; the fake's, gone when it stops)");
      try (KubeClient kube = KubeClient.connect(cluster)) {
        for (KubeObject node : kube.resources("v1", "Node").list()) {
          System.out.println("node:          " + node.name() + " " + addresses(node));
        }
        DevEnvironment env = DevEnvironment.in(kube).sshKeys(demoKey())
            .deploy(p -> System.out.println("  " + p));
        System.out.println("nfs share:     " + env.nfs().server() + ":" + env.nfs().path()
            + " (the NFS Service's cluster IP, wired into sshd and nginx)");
        System.out.println("ssh:           " + env.sshCommand() + "   (simulated)");
        System.out.println("web:           " + env.webUrl() + "   (simulated)");
      }
    }
  }

  /** Your own public key when there is one, else a throwaway key made for this run. */
  private static String demoKey() {
    Path home = Path.of(System.getProperty("user.home"), ".ssh");
    for (String file : List.of("id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub")) {
      try {
        return Files.readString(home.resolve(file));
      } catch (IOException e) {
        // try the next one
      }
    }
    try {
      byte[] x509 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
      byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
      ByteBuffer blob = ByteBuffer.allocate(4 + 11 + 4 + 32).putInt(11)
          .put("ssh-ed25519".getBytes(StandardCharsets.US_ASCII)).putInt(32).put(raw);
      return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.array()) + " devkube-demo";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make a demo ssh key: " + e.getMessage(), e);
    }
  }

  private static String addresses(KubeObject node) {
    StringBuilder text = new StringBuilder();
    for (Object address : node.getList("status.addresses")) {
      KubeObject a = KubeObject.from((java.util.Map<?, ?>) address);
      text.append(text.length() == 0 ? "" : ", ").append(a.getString("type")).append(' ').append(a.getString("address"));
    }
    return text.toString();
  }

  /** Reads options and clusters: nothing is created, changed or billed. */
  private static void readAccount() {
    System.out.println("devkube demo: a DigitalOcean token is set; this run only reads your"
        + " account (nothing is created or billed)");
    try (DigitalOcean cloud = DigitalOcean.fromEnvironment()) {
      ClusterOptions options = cloud.options();
      System.out.println("offered:       " + options.regions().size() + " regions, "
          + options.sizes().size() + " node sizes, newest version " + options.latestVersion().slug());
      ClusterSpec resolved = options.resolve(spec());
      System.out.println("sample spec:   valid here; it would create " + resolved.name() + " in "
          + resolved.region() + " on " + resolved.version());
      int count = 0;
      for (Cluster cluster : cloud.clusters().list()) {
        count++;
        System.out.println("cluster:       " + cluster.name() + " (" + cluster.region() + ", "
            + cluster.version() + ", " + cluster.status().slug() + ")");
      }
      System.out.println(count + " cluster(s) in this account");
    }
  }
}
