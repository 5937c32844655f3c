package dev.devkube.k8s;

import dev.devkube.Backoff;
import dev.devkube.Cluster;
import dev.devkube.ClusterCredentials;
import dev.devkube.FileAccessException;
import dev.devkube.Waiter;
import dev.devkube.internal.UserAgents;
import dev.devkube.internal.Validation;
import dev.devkube.k8s.internal.BuiltinKinds;
import dev.devkube.k8s.internal.Discovery;
import dev.devkube.k8s.internal.ExecCredentials;
import dev.devkube.k8s.internal.KubeHttp;
import dev.devkube.k8s.internal.Kubeconfig;
import dev.devkube.k8s.internal.RefreshingTokens;
import dev.devkube.k8s.internal.Tls;
import dev.devkube.k8s.internal.TokenSource;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API client for any kind, built-in or custom, without a generated model. Holds a
 * connection pool: make one per cluster, share it, close it when done.
 *
 * <pre>{@code
 * try (KubeClient kube = KubeClient.fromKubeconfig()) {           // KUBECONFIG or ~/.kube/config
 *   KubeObject cm = KubeObject.of("v1", "ConfigMap", "settings").set("data.mode", "dev");
 *   kube.resource(cm).apply();
 *   for (KubeObject pod : kube.resources("v1", "Pod").withLabel("app", "web").list()) { ... }
 *   kube.resolve("apps/v1", "Deployment").itemPath("default", "nfs");
 * }
 * }</pre>
 */
public final class KubeClient implements AutoCloseable {
  private static final BuiltinKinds BUILTINS = BuiltinKinds.load();

  private final KubeHttp http;
  private final Discovery discovery;
  private final String namespace;
  private final String fieldManager;
  private final Waiter.Clock clock;

  private KubeClient(KubeHttp http, String namespace, String fieldManager, Waiter.Clock clock) {
    this.http = http;
    this.discovery = new Discovery(BUILTINS, http);
    this.namespace = namespace;
    this.fieldManager = fieldManager;
    this.clock = clock;
  }

  /** Connects with fixed credentials, e.g. ones written by {@code ClusterCredentials.writeTo}. */
  public static KubeClient connect(ClusterCredentials credentials) {
    return builder().credentials(credentials).build();
  }

  /**
   * Connects to a provider's cluster; its short-lived credentials are fetched again before they
   * expire, and once after a 401.
   */
  public static KubeClient connect(Cluster cluster) {
    return builder().credentials(cluster::credentials).build();
  }

  /**
   * Connects as kubectl would: the current context of {@code KUBECONFIG} or {@code ~/.kube/config};
   * in a pod without either, with the pod's service account ({@link #inCluster()}).
   */
  public static KubeClient fromKubeconfig() {
    return fromKubeconfig((String) null);
  }

  /**
   * Connects with {@code context} (null: the current one) of the kubeconfig kubectl would read: the
   * files of {@code KUBECONFIG}, merged as kubectl merges them, or {@code ~/.kube/config}.
   *
   * @throws IllegalArgumentException when no file has that context, naming the contexts there are
   */
  public static KubeClient fromKubeconfig(@Nullable String context) {
    Map<String, String> environment = System.getenv();
    List<Path> files =
        Locations.kubeconfigFiles(
            environment.get("KUBECONFIG"), Path.of(System.getProperty("user.home")));
    if (context == null && Locations.inPodWithoutKubeconfig(environment, files)) {
      return inCluster(); // as kubectl does in a pod that has no kubeconfig
    }
    return fromKubeconfig(files, context);
  }

  /** Connects with {@code context} (null: the current one) of the kubeconfig at {@code path}. */
  public static KubeClient fromKubeconfig(Path path, @Nullable String context) {
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(
          "no kubeconfig at " + path + ": there is no such file (give the path of a kubeconfig)");
    }
    return fromKubeconfig(List.of(path), context);
  }

  static KubeClient fromKubeconfig(List<Path> files, @Nullable String context) {
    return builder().kubeconfig(Kubeconfig.load(files).connection(context)).build();
  }

  /** Connects from inside a pod, with its service account. */
  public static KubeClient inCluster() {
    return Locations.inCluster(
            System.getenv(), Path.of("/var/run/secrets/kubernetes.io/serviceaccount"))
        .build();
  }

  /** A builder: give it a server and credentials, or a kubeconfig context. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What the server calls {@code apiVersion kind}: built-in kinds resolve offline, others through
   * discovery (cached). Never guesses a plural.
   *
   * @throws UnknownKindException when the server serves no such kind, listing what it serves
   * @throws IllegalArgumentException when {@code apiVersion} is malformed
   */
  public ResourceType resolve(String apiVersion, String kind) {
    Validation.requireNonBlank("apiVersion", apiVersion);
    Validation.requireNonBlank("kind", kind);
    return discovery.resolve(apiVersion, kind);
  }

  /** The verbs for one object; its namespace defaults to the client's. */
  public KubeResource resource(KubeObject object) {
    return new KubeResource(this, object);
  }

  /** A query over the objects of one kind, in the client's namespace until narrowed. */
  public KubeCollection resources(String apiVersion, String kind) {
    return new KubeCollection(this, resolve(apiVersion, kind), namespace, List.of(), List.of());
  }

  /** A pod, for its logs, exec, attach, port-forward and copy. */
  public KubePod pod(String namespace, String name) {
    return new KubePod(this, namespace, name);
  }

  /**
   * A ready pod behind {@code target}: the pod itself, a Service's selected pod, or a workload's
   * (Deployment, StatefulSet, ReplicaSet, DaemonSet, Job) selected pod.
   *
   * @throws IllegalStateException when no pod behind it is ready
   */
  public KubePod readyPod(KubeObject target) {
    return Targets.readyPod(this, target).pod();
  }

  /**
   * Forwards a loopback port to {@code port} of a ready pod behind {@code target}; for a Service,
   * {@code port} is the Service's port, mapped to its target port (by number or by the pod's port
   * name), as {@code kubectl port-forward svc/x} does.
   */
  public PortForward portForward(KubeObject target, int port) {
    Targets.Target resolved = Targets.readyPod(this, target);
    return resolved.pod().portForward(Targets.podPort(target, resolved.object(), port));
  }

  /**
   * The events about {@code object}, oldest first: what the cluster said about it (scheduling,
   * image pulls, probe failures), for error messages and people.
   */
  public List<KubeObject> events(KubeObject object) {
    KubeResource resource = resource(object);
    KubeCollection query =
        resources("v1", "Event")
            .inNamespace(resource.namespace() == null ? namespace : resource.namespace())
            .withField("involvedObject.name", resource.name())
            .withField("involvedObject.kind", resource.type().kind());
    List<KubeObject> events = new ArrayList<>(query.list().toList());
    events.sort(java.util.Comparator.comparing(KubeClient::eventTime));
    return events;
  }

  private static String eventTime(KubeObject event) {
    for (String path :
        List.of("lastTimestamp", "eventTime", "firstTimestamp", "metadata.creationTimestamp")) {
      String time = event.getString(path);
      if (time != null && !time.isEmpty()) {
        return time;
      }
    }
    return "";
  }

  /** The object as the server has it now, as YAML; says so when it does not exist. */
  public String describe(KubeObject object) {
    KubeResource resource = resource(object);
    return resource.get().map(KubeObject::toYaml).orElse(resource.describe() + " does not exist\n");
  }

  /** Every object of a kind in the client's namespace, as YAML documents. */
  public String describe(String apiVersion, String kind) {
    StringBuilder yaml = new StringBuilder();
    for (KubeObject object : resources(apiVersion, kind).list()) {
      yaml.append(yaml.length() == 0 ? "" : "---\n").append(object.toYaml());
    }
    return yaml.toString();
  }

  /** The namespace used when an object or query names none. */
  public String namespace() {
    return namespace;
  }

  /** The field manager for server-side apply, {@code devkube} unless set. */
  public String fieldManager() {
    return fieldManager;
  }

  /** The API server's URL. */
  public URI server() {
    return http.server().uri();
  }

  KubeHttp http() {
    return http;
  }

  /** The clock that waits, watch reconnects and retries sleep on. */
  Waiter.Clock clock() {
    return clock;
  }

  /** Releases connections and threads (a caller's OkHttpClient is left alone). */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "KubeClient[" + http.server() + ", namespace " + namespace + "]";
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FileAccessException("could not read " + file + ": " + e.getMessage(), file, e);
    }
  }

  /** Configures a {@link KubeClient}: a server and a way to trust and authenticate to it. */
  public static final class Builder {
    private @Nullable URI server;
    private @Nullable String caPem;
    private String caSource = "CA certificate";
    private @Nullable String certificatePem;
    private @Nullable String keyPem;
    private String keySource = "client certificate";
    private @Nullable TokenSource tokens;
    // Credentials that cost a request or a process to obtain are fetched in build(), never while
    // the builder is configured; what a setter gives after credentials(...) still wins.
    private @Nullable Supplier<ClusterCredentials> credentials;
    private ExecCredentials.@Nullable Config exec;
    private boolean insecure;
    private @Nullable String tlsServerName;
    private String namespace = "default";
    private String fieldManager = "devkube";
    private @Nullable OkHttpClient okHttpClient;
    private @Nullable String userAgent;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(30);
    private int maxRetries = 3;
    private Waiter.Clock clock = Waiter.Clock.system();
    private Clock wallClock = Clock.systemUTC();

    private Builder() {}

    /** The API server's https URL. */
    public Builder server(String server) {
      return server(URI.create(Objects.requireNonNull(server, "server")));
    }

    /** The API server's https URL (http only on this machine, as for {@code kubectl proxy}). */
    public Builder server(URI server) {
      this.server = https(server);
      return this;
    }

    private static URI https(URI server) {
      if ("http".equalsIgnoreCase(server.getScheme()) && Locations.isLoopback(server.getHost())) {
        return server; // a local proxy such as kubectl proxy; build() warns
      }
      if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
        throw new IllegalArgumentException(
            "server "
                + server
                + " is not an https URL: give the API server's address, such as"
                + " https://203.0.113.7:6443 (plain http only to a proxy on this machine, such as"
                + " kubectl proxy's http://127.0.0.1:8001)");
      }
      return server;
    }

    /**
     * Server, CA, credentials and namespace of {@code context} in the kubeconfig kubectl would
     * read, as {@link KubeClient#fromKubeconfig(String)} takes them; setters called afterwards win.
     */
    public Builder context(String context) {
      Validation.requireNonBlank("context", context);
      return kubeconfig(
          Kubeconfig.load(
                  Locations.kubeconfigFiles(
                      System.getenv("KUBECONFIG"), Path.of(System.getProperty("user.home"))))
              .connection(context));
    }

    /** The cluster CA certificate(s), PEM; without one the JVM's authorities are trusted. */
    public Builder caCertificate(String pem) {
      this.caPem = Objects.requireNonNull(pem, "pem");
      this.caSource = "CA certificate";
      return this;
    }

    /** The cluster CA certificate(s), PEM, read from {@code file}. */
    public Builder caCertificateFile(Path file) {
      this.caPem = read(file);
      this.caSource = file.toString();
      return this;
    }

    /** A client certificate and its private key (RSA or EC; PKCS#1, SEC1 or PKCS#8), PEM. */
    public Builder clientCertificate(String certificatePem, String keyPem) {
      this.certificatePem = Objects.requireNonNull(certificatePem, "certificatePem");
      this.keyPem = Objects.requireNonNull(keyPem, "keyPem");
      this.keySource = "client certificate";
      return this;
    }

    /** A client certificate and its private key, PEM, read from these files. */
    public Builder clientCertificateFiles(Path certificate, Path key) {
      this.certificatePem = read(certificate);
      this.keyPem = read(key);
      this.keySource = key.toString();
      return this;
    }

    /** A bearer token. */
    public Builder token(String token) {
      Validation.requireNonBlank("token", token);
      this.tokens = TokenSource.fixed(token.trim());
      return this;
    }

    /** A file holding a bearer token, read again every minute and after a 401. */
    public Builder tokenFile(Path file) {
      this.tokens = RefreshingTokens.fromFile(file, wallClock);
      return this;
    }

    /** Server, CA and token or client certificate from fixed credentials. */
    public Builder credentials(ClusterCredentials credentials) {
      return credentials(() -> credentials);
    }

    /**
     * Server, CA and client certificate from the first credentials {@code supplier} gives; their
     * token is fetched again five minutes before it expires and once after a 401. The supplier is
     * first asked in {@link #build()}, not here; what other setters give afterwards wins.
     */
    public Builder credentials(Supplier<ClusterCredentials> supplier) {
      this.credentials = Objects.requireNonNull(supplier, "supplier");
      this.exec = null;
      this.server = null;
      this.caPem = null;
      this.certificatePem = null;
      this.keyPem = null;
      this.tokens = null;
      return this;
    }

    /**
     * Where to connect and how to authenticate, as {@link #build()} resolves it: what the setters
     * gave, filled in from a credentials supplier or an exec plugin (asked here, never in a setter)
     * without changing the builder.
     */
    private final class Auth {
      @Nullable URI server = Builder.this.server;
      @Nullable String caPem = Builder.this.caPem;
      String caSource = Builder.this.caSource;
      @Nullable String certificatePem = Builder.this.certificatePem;
      @Nullable String keyPem = Builder.this.keyPem;
      String keySource = Builder.this.keySource;
      @Nullable TokenSource tokens = Builder.this.tokens;

      /** Fills what no setter gave from the supplier's first credentials. */
      Auth from(Supplier<ClusterCredentials> supplier) {
        ClusterCredentials first = Objects.requireNonNull(supplier.get(), "supplier returned null");
        if (server == null) {
          server = https(first.server());
        }
        if (caPem == null) {
          caPem = first.caCertificate();
          caSource = "CA certificate of cluster " + first.clusterName();
        }
        if (certificatePem == null && keyPem == null) {
          certificatePem = first.clientCertificate();
          keyPem = first.clientKey();
          keySource = "client key of cluster " + first.clusterName();
        }
        if (tokens == null && first.token() != null) {
          tokens = RefreshingTokens.fromCredentials(supplier, first, wallClock);
        }
        return this;
      }

      /** Runs the kubeconfig's exec plugin once, for a client certificate or a first token. */
      Auth from(ExecCredentials.Config plugin) {
        ExecCredentials source = new ExecCredentials(plugin, wallClock);
        ExecCredentials.Credential credential = source.credential();
        if (certificatePem == null
            && keyPem == null
            && credential.clientCertificate() != null
            && credential.clientKey() != null) {
          certificatePem = credential.clientCertificate();
          keyPem = credential.clientKey();
          keySource = "exec plugin " + plugin.command();
        }
        if (tokens == null) {
          tokens = source;
        }
        return this;
      }
    }

    Builder kubeconfig(Kubeconfig.Connection connection) {
      this.credentials = null;
      this.exec = null;
      this.tokens = null;
      server(connection.server());
      this.caPem = connection.caPem();
      this.caSource = connection.caSource();
      this.certificatePem = connection.certificatePem();
      this.keyPem = connection.keyPem();
      this.keySource = connection.keySource();
      this.insecure = connection.insecureSkipTlsVerify();
      this.tlsServerName = connection.tlsServerName();
      if (connection.namespace() != null) {
        namespace(connection.namespace());
      }
      if (connection.token() != null) {
        token(connection.token());
      } else if (connection.tokenFile() != null) {
        tokenFile(connection.tokenFile());
      } else if (connection.exec() != null) {
        this.exec = connection.exec();
      }
      return this;
    }

    /** Verify the server's certificate against this name instead of the URL's host. */
    public Builder tlsServerName(String name) {
      this.tlsServerName = Validation.requireNonBlank("TLS server name", name);
      return this;
    }

    /** The namespace for objects and queries that name none; {@code default} unless set. */
    public Builder namespace(String namespace) {
      this.namespace = Validation.requireDnsLabel("namespace", namespace);
      return this;
    }

    /** The field manager for server-side apply; {@code devkube} unless set. */
    public Builder fieldManager(String fieldManager) {
      this.fieldManager = Validation.requireNonBlank("field manager", fieldManager);
      return this;
    }

    /** An OkHttp client to share its pool; devkube configures a copy and never shuts it down. */
    public Builder okHttpClient(OkHttpClient client) {
      this.okHttpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Your product's name and version, sent before devkube's in the User-Agent header. */
    public Builder userAgent(String product) {
      this.userAgent = Validation.requireNonBlank("user agent", product);
      return this;
    }

    /** How long connecting may take; 10 seconds unless set. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How long a read may stall; 30 seconds unless set. */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** How many times a retryable failure is retried; 3 unless set. */
    public Builder maxRetries(int maxRetries) {
      if (maxRetries < 0 || maxRetries > 10) {
        throw new IllegalArgumentException("maxRetries " + maxRetries + " is outside 0 to 10");
      }
      this.maxRetries = maxRetries;
      return this;
    }

    Builder clocks(Waiter.Clock clock, Clock wallClock) {
      this.clock = clock;
      this.wallClock = wallClock;
      return this;
    }

    /**
     * Builds the client. This is where a {@linkplain #credentials(Supplier) credentials supplier}
     * is first asked and a kubeconfig's exec plugin runs; nothing is sent to the API server.
     *
     * @throws IllegalStateException when no server was given
     * @throws IllegalArgumentException when a certificate or key cannot be read, naming it
     */
    public KubeClient build() {
      Auth auth = new Auth();
      Supplier<ClusterCredentials> supplier = credentials;
      if (supplier != null) {
        auth.from(supplier);
      }
      ExecCredentials.Config plugin = exec;
      if (plugin != null) {
        auth.from(plugin);
      }
      URI server = auth.server;
      if (server == null) {
        throw new IllegalStateException(
            "no API server: call server(...), credentials(...), or use"
                + " KubeClient.fromKubeconfig()");
      }
      if ("http".equalsIgnoreCase(server.getScheme())) {
        LoggerFactory.getLogger(KubeClient.class)
            .warn("plain HTTP to {}: unencrypted; fine for kubectl proxy on this machine", server);
      }
      Tls tls;
      if (insecure) {
        // The logger only when needed: the logging facade's start is not on every client's path.
        LoggerFactory.getLogger(KubeClient.class)
            .warn(
                "TLS verification is OFF for {}: the kubeconfig says insecure-skip-tls-verify,"
                    + " so anyone between here and the server can read and change this traffic",
                server);
        tls = Tls.insecure(auth.certificatePem, auth.keyPem, auth.keySource);
      } else {
        tls = Tls.of(auth.caPem, auth.caSource, auth.certificatePem, auth.keyPem, auth.keySource);
      }
      String agent = UserAgents.of(userAgent, KubeClient.class);
      KubeHttp http =
          new KubeHttp(
              new KubeHttp.Settings(
                  server,
                  tls,
                  insecure,
                  tlsServerName,
                  auth.tokens == null ? TokenSource.fixed(null) : auth.tokens,
                  okHttpClient,
                  agent,
                  connectTimeout,
                  readTimeout,
                  maxRetries,
                  new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), 2, 0.5),
                  clock,
                  () -> ThreadLocalRandom.current().nextDouble()));
      return new KubeClient(http, namespace, fieldManager, clock);
    }
  }
}
