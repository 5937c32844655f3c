package dev.devkube.testkit;

import dev.devkube.ClusterCredentials;
import dev.devkube.testkit.internal.Admission;
import dev.devkube.testkit.internal.Controllers;
import dev.devkube.testkit.internal.Doc;
import dev.devkube.testkit.internal.Faults;
import dev.devkube.testkit.internal.Http1Server;
import dev.devkube.testkit.internal.Kinds;
import dev.devkube.testkit.internal.KubeApi;
import dev.devkube.testkit.internal.Rbac;
import dev.devkube.testkit.internal.Seeds;
import dev.devkube.testkit.internal.Status;
import dev.devkube.testkit.internal.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.jspecify.annotations.Nullable;

/**
 * A Kubernetes API server for tests and demos: real HTTPS on loopback, with its own CA, that speaks
 * the v1.36 API for every generally available built-in kind (discovery, OpenAPI, CRUD, selectors,
 * patches, server-side apply with field ownership, dry run, field validation, tables, watch, RBAC)
 * as strictly as a real server, and simulates what controllers do (nodes with addresses,
 * Deployments owning ReplicaSets owning pods that start, a scheduler that holds pods whose claims
 * are unbound, Services with cluster IPs and node ports, Endpoints, bound claims, events). kubectl
 * works against it ({@link #kubeconfig()}), {@code exec} and {@code cp} included. Containers do not
 * run: exec, attach and port-forward reach a small shell on files kept per volume and port handlers
 * for the recipe images ({@link #onExec}, {@link #onPort} add more). Starts in milliseconds.
 *
 * <pre>{@code
 * try (FakeKubernetes cluster = FakeKubernetes.start();
 *     KubeClient kube = KubeClient.connect(cluster.credentials())) {
 *   kube.resource(deployment).apply();
 *   kube.resource(deployment).waitUntil(Conditions.deploymentAvailable(), Duration.ofSeconds(10));
 * }
 * }</pre>
 */
public final class FakeKubernetes implements AutoCloseable {
  private final Http1Server server;
  private final ExecutorService executor;
  private final Store store = new Store();
  private final Kinds kinds = Kinds.builtin();
  private final Faults faults = new Faults();
  private final KubeApi api;
  private final Controllers controllers;
  private final ClusterCredentials credentials;
  private final List<Consumer<Map<String, @Nullable Object>>> volumeListeners = new ArrayList<>();
  private final String serverCaPem;
  private final String builderName;
  private final List<LimitedUser> limitedUsers;

  /** A user the builder added, with only the rights RBAC grants. */
  private record LimitedUser(String name, String token, String namespace) {}

  private static Map<String, Rbac.User> users(Builder builder) {
    Map<String, Rbac.User> users = new java.util.HashMap<>();
    for (LimitedUser user : builder.users) {
      users.put(user.token(), new Rbac.User(user.name(), List.of("system:authenticated")));
    }
    return users;
  }

  private FakeKubernetes(Builder builder) throws IOException {
    HeldCertificate serverCa =
        new HeldCertificate.Builder()
            .certificateAuthority(0)
            .commonName("fake-kubernetes-ca")
            .ecdsa256()
            .build();
    HeldCertificate clientCa =
        new HeldCertificate.Builder()
            .certificateAuthority(0)
            .commonName("fake-kubernetes-client-ca")
            .ecdsa256()
            .build();
    HeldCertificate serverCertificate =
        new HeldCertificate.Builder()
            .commonName("localhost")
            .addSubjectAlternativeName("localhost")
            .addSubjectAlternativeName("127.0.0.1")
            .signedBy(serverCa)
            .ecdsa256()
            .build();
    HeldCertificate.Builder adminBuilder =
        new HeldCertificate.Builder()
            .commonName("admin")
            .organizationalUnit("system:masters")
            .signedBy(clientCa);
    HeldCertificate admin =
        (builder.rsaClientKey ? adminBuilder.rsa2048() : adminBuilder.ecdsa256()).build();
    HandshakeCertificates tls =
        new HandshakeCertificates.Builder()
            .heldCertificate(serverCertificate)
            .addTrustedCertificate(clientCa.certificate())
            .build();

    if (builder.cilium) {
      kinds.addCilium();
    }
    String token = builder.token;
    this.api =
        new KubeApi(
            store,
            kinds,
            new Admission(store, kinds),
            faults,
            token,
            users(builder),
            builder.bookmarkInterval,
            builder.cloudDisks);
    KubeApi kubeApi = api;
    String cloudClusterId = builder.cloudClusterId;
    String cloudVpc = builder.cloudVpc;
    this.controllers =
        new Controllers(
            store,
            kinds,
            builder.podStartDelay,
            pv -> volumeListeners.forEach(l -> l.accept(pv)),
            pod -> kubeApi.volumes().mountRefusal(pod, cloudClusterId, cloudVpc));
    builder.failingImages.forEach(controllers::failImage);

    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread thread = new Thread(r, "fake-kubernetes-http");
              thread.setDaemon(true);
              return thread;
            });
    try {
      this.server = new Http1Server(tls.sslContext(), api, executor);
    } catch (IOException e) {
      throw new UncheckedIOException("could not listen on loopback", e);
    }
    server.start();

    URI url = URI.create("https://127.0.0.1:" + server.port());
    String id = "fake-" + UUID.randomUUID();
    this.serverCaPem = serverCa.certificatePem();
    this.builderName = builder.name;
    this.limitedUsers = List.copyOf(builder.users);
    this.credentials =
        token != null
            ? ClusterCredentials.ofToken(
                id, builder.name, url, serverCa.certificatePem(), token, null)
            : ClusterCredentials.ofClientCertificate(
                id,
                builder.name,
                url,
                serverCa.certificatePem(),
                admin.certificatePem(),
                admin.privateKeyPkcs8Pem());
    seed(builder);
  }

  /** What a new cluster has: namespaces, RBAC, storage classes and Ready nodes. */
  private void seed(Builder builder) {
    api.rbac().seed();
    List<String> namespaces =
        new ArrayList<>(List.of("default", "kube-system", "kube-public", "kube-node-lease"));
    builder.users.forEach(
        user -> {
          if (!namespaces.contains(user.namespace())) {
            namespaces.add(user.namespace());
          }
        });
    for (String namespace : namespaces) {
      put("v1", "Namespace", Seeds.namespace(namespace));
    }
    for (LimitedUser user : builder.users) {
      api.rbac().bindEdit(user.name(), user.namespace());
    }
    for (int i = 0; i < builder.storageClasses.size(); i++) {
      put(
          "storage.k8s.io/v1",
          "StorageClass",
          Seeds.storageClass(builder.storageClasses.get(i), i == 0));
    }
    for (int i = 1; i <= builder.nodes; i++) {
      put("v1", "Node", Seeds.node(i, builder.externalIps));
    }
  }

  /** Starts a cluster with two nodes, client-certificate auth and pods that start in 50 ms. */
  public static FakeKubernetes start() {
    return builder().start();
  }

  /** A builder with the defaults: see each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** Credentials for this cluster: its URL, CA and an admin client certificate (or the token). */
  public ClusterCredentials credentials() {
    return credentials;
  }

  /**
   * Credentials of a user added with {@link Builder#user(String, String, String)}: a bearer token
   * with only the rights RBAC grants that user.
   *
   * @throws IllegalArgumentException when the builder added no such user
   */
  public ClusterCredentials credentials(String user) {
    for (LimitedUser limited : limitedUsers) {
      if (limited.name().equals(user)) {
        return ClusterCredentials.ofToken(
            "fake-" + user, builderName + "-" + user, url(), serverCaPem, limited.token(), null);
      }
    }
    throw new IllegalArgumentException(
        "the fake has no user " + user + "; add one with FakeKubernetes.builder().user(...)");
  }

  /** A kubeconfig for this cluster, e.g. for kubectl. */
  public String kubeconfig() {
    return credentials.kubeconfig();
  }

  /** The API server's URL. */
  public URI url() {
    return credentials.server();
  }

  /** Every request received so far, in order. */
  public List<ApiRequest> requests() {
    return List.copyOf(api.requests());
  }

  /** The stored object, as maps and lists, or empty. */
  public Optional<Map<String, @Nullable Object>> object(
      String apiVersion, String kind, @Nullable String namespace, String name) {
    return Optional.ofNullable(store.get(kind(apiVersion, kind), namespace, name));
  }

  /** The stored objects of a kind, in one namespace or (null) all. */
  public List<Map<String, @Nullable Object>> objects(
      String apiVersion, String kind, @Nullable String namespace) {
    return store.list(kind(apiVersion, kind), namespace, o -> true);
  }

  /** Stores an object directly, as a controller would, bypassing admission. */
  public Map<String, @Nullable Object> put(
      String apiVersion, String kind, Map<String, @Nullable Object> object) {
    Kinds.Kind type = kind(apiVersion, kind);
    Map<String, @Nullable Object> copy = Doc.copy(object);
    String ns = Doc.string(copy, "metadata.namespace");
    String name = String.valueOf(Doc.string(copy, "metadata.name"));
    if (store.get(type, ns, name) == null) {
      return store.create(type, copy);
    }
    Doc.map(copy, "metadata").remove("resourceVersion");
    return store.update(type, copy);
  }

  /**
   * Pods with this image, in a container or an init container, stay Pending in ImagePullBackOff.
   */
  public FakeKubernetes failImage(String image) {
    controllers.failImage(image);
    return this;
  }

  /**
   * How many watches (and followed pod logs) are open now. One whose client went away ends within
   * about a second, even when nothing changes.
   */
  public int openWatches() {
    return store.subscriptions();
  }

  /**
   * What {@code kubectl logs} of this pod shows, for any of its containers. A request for its log
   * names a container as a server wants it: a pod with several containers needs one named. A
   * followed log ({@code kubectl logs -f}) stays open while the pod runs and gets the lines a later
   * call adds to this text; it ends when the pod is deleted or its container terminates.
   */
  public FakeKubernetes podLogs(String namespace, String pod, String text) {
    api.setLogs(namespace, pod, text);
    return this;
  }

  /**
   * Adds a program that exec (and the fake shell) can run in every container, or replaces a
   * built-in one. The built-ins are a small shell ({@code sh -c}, pipes, redirections) with {@code
   * echo printf cat ls mkdir rm rmdir touch test id whoami hostname pwd cd env true false exit
   * chmod cp mv tar}; files are each container's own plus its volumes, shared by every pod that
   * mounts the same storage.
   */
  public FakeKubernetes onExec(String program, FakeCommand command) {
    api.streams().onExec(Objects.requireNonNull(program, "program"), command);
    return this;
  }

  /**
   * Answers port-forwarded connections to {@code port} of any pod with {@code handler}, ahead of
   * the built-in ones (nginx on 80 serving its document root, code-server on 8080 behind its
   * password, Redis on 6379, Postgres on 5432). A port nothing answers refuses the connection.
   */
  public FakeKubernetes onPort(int port, FakePortHandler handler) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, was " + port);
    }
    api.streams().onPort(port, Objects.requireNonNull(handler, "handler"));
    return this;
  }

  /**
   * A container of a pod as exec sees it, to put files in or read them from its volumes.
   *
   * @param container the container's name, or null for the pod's first
   * @throws IllegalArgumentException when there is no such pod or container
   */
  public FakeContainer container(String namespace, String pod, @Nullable String container) {
    Map<String, @Nullable Object> object =
        object("v1", "Pod", namespace, pod)
            .orElseThrow(() -> new IllegalArgumentException("no pod " + namespace + "/" + pod));
    try {
      return api.streams().container(object, container);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Answers the next {@code count} requests matching method (null: any) and path prefix with {@code
   * status}.
   */
  public FakeKubernetes failNext(
      int count, @Nullable String method, String pathPrefix, int status, String body) {
    faults.add(new Faults.Fault(method, pathPrefix, count, status, body, Duration.ZERO));
    return this;
  }

  /** Drops the connection of the next {@code count} matching requests without answering. */
  public FakeKubernetes dropNext(int count, @Nullable String method, String pathPrefix) {
    faults.add(new Faults.Fault(method, pathPrefix, count, 0, "", Duration.ZERO));
    return this;
  }

  /** Holds the next {@code count} matching requests for {@code delay}, then answers them. */
  public FakeKubernetes delayNext(
      int count, @Nullable String method, String pathPrefix, Duration delay) {
    faults.add(new Faults.Fault(method, pathPrefix, count, -1, "", delay));
    return this;
  }

  /** Ends every open watch with a 410 and forgets the change log, as a compacting server would. */
  public FakeKubernetes expireWatches() {
    store.expireWatches();
    return this;
  }

  /** Stops the simulated controllers until {@link #resume()}; API calls still work. */
  public FakeKubernetes pause() {
    controllers.pause();
    return this;
  }

  /** Starts the simulated controllers again after {@link #pause()}. */
  public FakeKubernetes resume() {
    controllers.resume();
    return this;
  }

  /** Called with each PersistentVolume the cluster provisions (a provider's block volume). */
  public void onVolume(Consumer<Map<String, @Nullable Object>> listener) {
    volumeListeners.add(listener);
  }

  private Kinds.Kind kind(String apiVersion, String kind) {
    Kinds.Kind type = kinds.byKind(apiVersion, kind);
    if (type == null) {
      throw new IllegalArgumentException("the fake serves no " + apiVersion + " " + kind);
    }
    return type;
  }

  /** Stops the server, its watches and its controllers; frees the port and the threads. */
  @Override
  public void close() {
    store.closeWatches();
    controllers.close();
    server.close();
    executor.shutdownNow();
  }

  @Override
  public String toString() {
    return "FakeKubernetes[" + url() + "]";
  }

  /**
   * Runs a fake cluster until stopped and prints the path of its kubeconfig, for kubectl: {@code
   * KUBECONFIG=<path> kubectl get nodes}.
   */
  public static void main(String[] args) throws Exception {
    FakeKubernetes cluster = start();
    Path dir = Files.createTempDirectory("fake-kubernetes");
    cluster.credentials().writeTo(dir);
    System.out.println("fake Kubernetes API server at " + cluster.url());
    System.out.println("kubeconfig: " + dir.resolve("kubeconfig"));
    System.out.println("press Ctrl-C to stop");
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close));
    Thread.currentThread().join();
  }

  /** Configures a {@link FakeKubernetes}. */
  public static final class Builder {
    private int nodes = 2;
    private boolean externalIps = true;
    private Duration podStartDelay = Duration.ofMillis(50);
    private Duration bookmarkInterval = Duration.ofSeconds(1);
    private @Nullable String token;
    private String name = "fake";
    private final List<String> failingImages = new ArrayList<>();
    private List<String> storageClasses = List.of("standard");
    private boolean rsaClientKey;
    private boolean cilium;
    private CloudDisks cloudDisks = new CloudDisks();
    private @Nullable String cloudClusterId;
    private @Nullable String cloudVpc;
    private final List<LimitedUser> users = new ArrayList<>();

    private Builder() {}

    /**
     * Issues the admin client certificate with an RSA 2048 key instead of ECDSA P-256, for clients
     * that only read RSA keys without extra libraries.
     */
    public Builder rsaClientKey() {
      this.rsaClientKey = true;
      return this;
    }

    /**
     * Serves Cilium's policy CRDs ({@code cilium.io/v2} CiliumNetworkPolicy and
     * CiliumClusterwideNetworkPolicy), as a cluster whose CNI is Cilium does (DigitalOcean's), and
     * refuses what their schema refuses (an unknown entity, a numeric port). Like the CRDs on a
     * real cluster, the built-in {@code edit} role does not cover them.
     */
    public Builder cilium() {
      this.cilium = true;
      return this;
    }

    /**
     * Where the files of cloud volumes and outside NFS shares live: share one {@link CloudDisks}
     * between fakes and a volume kept from one cluster shows its files in the next (a new one by
     * default).
     */
    public Builder cloudDisks(CloudDisks disks) {
      this.cloudDisks = Objects.requireNonNull(disks, "disks");
      return this;
    }

    /**
     * Which cluster of the {@link #cloudDisks(CloudDisks) cloud} this is, and its network (VPC):
     * its pods mount only the volumes attached to it, and the shares its network reaches.
     */
    public Builder cloudMember(String clusterId, @Nullable String vpc) {
      this.cloudClusterId = Objects.requireNonNull(clusterId, "clusterId");
      this.cloudVpc = vpc;
      return this;
    }

    /**
     * The storage classes the cluster has, the first one the default (default: {@code standard}). A
     * claim naming another class stays Pending, as on a real cluster.
     */
    public Builder storageClasses(String... names) {
      this.storageClasses = List.of(names);
      return this;
    }

    /**
     * Adds a user who authenticates with {@code token} and may do only what RBAC grants it, as a
     * developer with a namespace of their own often can: the fake binds the built-in {@code edit}
     * ClusterRole to the user in {@code namespace} (a RoleBinding named {@code <name>-edit}; the
     * namespace is created if needed), and nothing cluster-wide. Anything else is refused with the
     * API server's 403. More rights: create Roles and RoleBindings as the admin. Connect as the
     * user with {@link FakeKubernetes#credentials(String)}.
     */
    public Builder user(String name, String token, String namespace) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(namespace, "namespace");
      if (token.equals(this.token) || users.stream().anyMatch(u -> u.token().equals(token))) {
        throw new IllegalArgumentException("the token of user " + name + " is already in use");
      }
      users.add(new LimitedUser(name, token, namespace));
      return this;
    }

    /** How many nodes (default 2), each Ready with an InternalIP and an ExternalIP. */
    public Builder nodes(int nodes) {
      if (nodes < 1) {
        throw new IllegalArgumentException("nodes " + nodes + " is below 1");
      }
      this.nodes = nodes;
      return this;
    }

    /** Whether nodes have ExternalIPs (default true); false looks like kind or minikube. */
    public Builder externalIps(boolean externalIps) {
      this.externalIps = externalIps;
      return this;
    }

    /** How long after creation a pod becomes Running and Ready (default 50 ms). */
    public Builder podStartDelay(Duration delay) {
      this.podStartDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /** How often watches that ask for bookmarks get one (default 1 s). */
    public Builder bookmarkInterval(Duration interval) {
      this.bookmarkInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Accept this bearer token, and hand it out in {@link #credentials()} instead of a certificate.
     */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** The cluster's name in its credentials and kubeconfig (default {@code fake}). */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Pods with this image, in a container or an init container, stay Pending in ImagePullBackOff.
     */
    public Builder failImage(String image) {
      failingImages.add(image);
      return this;
    }

    /** Starts the fake cluster on a free loopback port; close it when done. */
    public FakeKubernetes start() {
      try {
        return new FakeKubernetes(this);
      } catch (IOException e) {
        throw new UncheckedIOException("could not start the fake Kubernetes API server", e);
      } catch (Status e) {
        throw new IllegalStateException("could not seed the fake cluster: " + e.getMessage(), e);
      }
    }
  }
}
