package dev.devkube.examples;

import dev.devkube.CloudProvider;
import dev.devkube.Cluster;
import dev.devkube.ClusterSpec;
import dev.devkube.digitalocean.DigitalOcean;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeCollection;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.PortForward;
import dev.devkube.k8s.UnknownKindException;
import dev.devkube.recipes.DevEnvironment;
import dev.devkube.recipes.Part;
import dev.devkube.recipes.RecipeContext;
import dev.devkube.recipes.VerifyReport;
import dev.devkube.testkit.FakeDigitalOcean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The README's main job: the whole flow end to end. With a DigitalOcean token it creates (or
 * adopts) the cluster after asking, since that is billed; with none it runs the same flow on
 * FakeDigitalOcean and FakeKubernetes and says so. Either way it prints what was created and how to
 * reach it.
 */
@Command(
    name = "Demo",
    sortOptions = false,
    description = {
      "Creates the cluster, saves its credentials, deploys the whole development environment"
          + " (NFS, ssh, web, IDE, toolbox, Postgres, Redis) and prints the access points. Without"
          + " a token in DIGITALOCEAN_ACCESS_TOKEN it runs on the built-in fakes: nothing real is"
          + " touched, and the simulated cluster's credentials are removed at the end.",
      ""
    })
public final class Demo implements Callable<Integer> {
  @Mixin CliOptions.Target target = new CliOptions.Target();
  @Mixin CliOptions.NewCluster cluster = new CliOptions.NewCluster();
  @Mixin CliOptions.Environment environment = new CliOptions.Environment();
  @Mixin CliOptions.Cloud cloud = new CliOptions.Cloud();
  @Mixin CliOptions.Common common = new CliOptions.Common();
  private final Cli.Io io;

  Demo(Cli.Io io) {
    this.io = io;
  }

  public static void main(String[] args) {
    int code = run(args, Cli.Io.system());
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, Cli.Io io) {
    return Cli.execute(new Demo(io), args, io);
  }

  @Override
  public Integer call() throws Exception {
    // Every value is checked before anything is created.
    cluster.check();
    environment.check();
    ClusterSpec spec = CreateCluster.spec(target, cluster);
    if (io.token() != null) {
      Cli.sshKey(environment);
      io.out()
          .println(
              "devkube demo on DigitalOcean: this creates a Kubernetes cluster and volumes that"
                  + " are billed until you run devkube-examples/run Teardown --delete-cluster");
      try (DigitalOcean digitalOcean = CreateCluster.connect(cloud, io)) {
        flow(digitalOcean, spec, "", null);
      }
      Path folder = target.folder();
      io.out()
          .println(
              "credentials:   "
                  + folder
                  + " (kubeconfig, cluster.env: KUBECONFIG="
                  + folder.resolve("kubeconfig")
                  + " kubectl get pods)");
      io.out()
          .println(
              "billed until:  devkube-examples/run Teardown --delete-cluster"
                  + (target.name.equals("devkube") ? "" : " --name " + target.name)
                  + " (its volumes stay, recorded for the next deploy, unless --delete-data)");
    } else {
      io.out()
          .println(
              "devkube demo: no DigitalOcean token is set, so this runs on the built-in fakes"
                  + " (FakeDigitalOcean and FakeKubernetes); every address below is simulated");
      try (FakeDigitalOcean fake =
              FakeDigitalOcean.builder().provisioningTime(Duration.ofSeconds(2)).start();
          DigitalOcean digitalOcean =
              DigitalOcean.builder()
                  .token(FakeDigitalOcean.TOKEN)
                  .baseUrl(fake.url().toString())
                  .build()) {
        // Nothing is billed on the fakes, so nothing needs confirming.
        common.yes = true;
        String keys = environment.sshKey == null ? demoPublicKey() : null;
        flow(digitalOcean, spec, "   (simulated)", keys);
        outliveTheCluster(digitalOcean, spec, keys);
      } finally {
        forgetFakeCredentials(target.folder(), io);
      }
    }
    return 0;
  }

  /**
   * CreateCluster, then DeployDevEnvironment with every part, then what exists and how to reach it.
   */
  private void flow(
      CloudProvider provider, ClusterSpec spec, String note, @Nullable String publicKeys)
      throws Exception {
    Cluster created = CreateCluster.create(provider, spec, target, cluster, common, io, false);
    try (KubeClient kube = KubeClient.connect(created)) {
      for (KubeObject node : kube.resources("v1", "Node").list()) {
        io.out().println("node:          " + node.name() + " " + node.getList("status.addresses"));
      }
      DevEnvironment env = deploy(kube, publicKeys, true);
      io.out().println("created in namespace " + env.namespace() + ", per recipe:");
      objectsPerRecipe(kube, env)
          .forEach(
              (recipe, objects) ->
                  io.out()
                      .println(String.format("  %-10s %s", recipe, String.join(", ", objects))));
      for (String dependent : List.of("sshd", "nginx", "ide", "toolbox")) {
        KubeObject deployment =
            kube.resource(
                    KubeObject.of("apps/v1", "Deployment", dependent).namespace(env.namespace()))
                .get()
                .orElseThrow();
        io.out()
            .println(
                "nfs wiring:    "
                    + dependent
                    + " mounts "
                    + deployment.getString("spec.template.spec.volumes[0].nfs.server")
                    + ":"
                    + deployment.getString("spec.template.spec.volumes[0].nfs.path"));
      }
      DeployDevEnvironment.printAccess(env, io, note);
      reachInside(env, io);
    }
  }

  /** The whole environment ({@code all}) or only its share, ssh and web. */
  private DevEnvironment deploy(KubeClient kube, @Nullable String publicKeys, boolean all) {
    CliOptions.Parts parts = new CliOptions.Parts();
    parts.all = all;
    return DeployDevEnvironment.deploy(
        kube, target, environment, parts, new CliOptions.Share(), common, io, publicKeys);
  }

  /**
   * The original's "bad" undone, on the fakes: a file written into the share, the cluster deleted
   * with its volumes kept, a new cluster, and the share's volume served again with the file in it.
   */
  private void outliveTheCluster(
      CloudProvider provider, ClusterSpec spec, @Nullable String publicKeys) throws Exception {
    Cluster first = provider.clusters().find(target.name).orElseThrow();
    try (KubeClient kube = KubeClient.connect(first)) {
      kube.readyPod(KubeObject.of("apps/v1", "Deployment", "sshd").namespace(environment.namespace))
          .exec("sh", "-c", "echo 'written before the cluster went' > /mnt/nfs/outlives.txt");
    }
    io.out().println("data:          /mnt/nfs/outlives.txt written; now the cluster goes");
    Teardown.deleteCluster(
        provider, Teardown.deletingCluster(target, environment.namespace, common, io), io);
    Cluster next = CreateCluster.create(provider, spec, target, cluster, common, io, false);
    try (KubeClient kube = KubeClient.connect(next)) {
      DevEnvironment env = deploy(kube, publicKeys, false);
      io.out()
          .println(
              "data:          in the new cluster, /mnt/nfs/outlives.txt says: "
                  + env.exec(Part.SSH, "cat", "/mnt/nfs/outlives.txt").stdout().strip());
    }
  }

  /**
   * Through the API server only: a file written into the share, read back from nginx over a
   * forwarded port, then the environment's end-to-end check.
   */
  private static void reachInside(DevEnvironment env, Cli.Io io) throws Exception {
    Path page = Files.createTempFile("devkube-demo", ".html");
    try {
      Files.writeString(page, "<h1>written through the share</h1>\n");
      env.share().upload(page, "demo");
      String name = page.getFileName().toString();
      try (PortForward web = env.forward(Part.WEB)) {
        HttpResponse<String> answer =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(web.url() + "/demo/" + name)).build(),
                    HttpResponse.BodyHandlers.ofString());
        io.out()
            .println(
                "share -> web:  "
                    + web.url()
                    + "/demo/"
                    + name
                    + " answers "
                    + answer.statusCode()
                    + " "
                    + answer.body().strip());
      }
      env.exec(Part.SSH, "rm", "-r", "/mnt/nfs/demo");
    } finally {
      Files.deleteIfExists(page);
    }
    VerifyReport report = env.verify();
    io.out().println("verify():");
    report.checks().forEach(check -> io.out().println("  " + check));
  }

  /**
   * The fake cluster is gone when the demo ends: its credentials would only mislead later commands.
   */
  private static void forgetFakeCredentials(Path folder, Cli.Io io) throws java.io.IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    for (String file :
        List.of(
            "ca.pem",
            "token",
            "cert.pem",
            "key.pem",
            "kubeconfig",
            "cluster.env",
            Teardown.SHARE_VOLUME)) {
      Files.deleteIfExists(folder.resolve(file));
    }
    try (var left = Files.list(folder)) {
      if (left.findAny().isEmpty()) {
        Files.delete(folder);
      }
    }
    io.out()
        .println(
            "removed " + folder + ": it held the simulated cluster's credentials, gone with it");
  }

  /** Every object the environment's labels find, by the recipe (component) that made it. */
  private static Map<String, List<String>> objectsPerRecipe(KubeClient kube, DevEnvironment env) {
    Map<String, List<String>> byRecipe = new TreeMap<>();
    for (String[] kind :
        new String[][] {
          {"v1", "Secret"},
          {"v1", "ConfigMap"},
          {"v1", "PersistentVolumeClaim"},
          {"apps/v1", "Deployment"},
          {"v1", "Service"},
          {"networking.k8s.io/v1", "NetworkPolicy"},
          {"cilium.io/v2", "CiliumNetworkPolicy"}
        }) {
      KubeCollection objects;
      try {
        objects = kube.resources(kind[0], kind[1]);
      } catch (UnknownKindException e) {
        continue; // a cluster without Cilium
      }
      for (KubeObject object :
          objects
              .inNamespace(env.namespace())
              .withLabel(RecipeContext.PART_OF, env.name())
              .list()) {
        byRecipe
            .computeIfAbsent(
                object.labels().getOrDefault(RecipeContext.NAME, "?"),
                k -> new java.util.ArrayList<>())
            .add(kind[1] + "/" + object.name());
      }
    }
    return byRecipe;
  }

  /**
   * Your own public key when there is one, else a throwaway Ed25519 key made for this run (its
   * private half is never kept): enough for an environment on the fakes, where nobody logs in.
   */
  public static String demoPublicKey() throws GeneralSecurityException, java.io.IOException {
    Optional<Path> own = Cli.defaultKey();
    if (own.isPresent()) {
      return Files.readString(own.get());
    }
    byte[] x509 =
        KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
    byte[] raw = Arrays.copyOfRange(x509, x509.length - 32, x509.length);
    ByteBuffer blob =
        ByteBuffer.allocate(4 + 11 + 4 + 32)
            .putInt(11)
            .put("ssh-ed25519".getBytes(StandardCharsets.US_ASCII))
            .putInt(32)
            .put(raw);
    return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.array()) + " devkube-demo";
  }
}
