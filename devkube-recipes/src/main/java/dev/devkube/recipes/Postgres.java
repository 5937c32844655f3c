package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.map;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A single PostgreSQL instance: its data on its own claim, a generated password in a Secret, a
 * ClusterIP Service only (never reachable from outside the cluster), a readiness probe that asks
 * the server itself, and no root. Immutable; {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * DataService db = DevEnvironment.in(kube).sshKey(key).postgres().deploy().postgres().orElseThrow();
 * db.connectionString();   // postgresql://dev@postgres.default.svc.cluster.local:5432/dev
 * }</pre>
 */
public final class Postgres extends DataStore {
  static final String DEPLOYMENT = "postgres";
  static final String SERVICE = "postgres";
  static final String SECRET = "postgres-credentials";
  static final String PVC = "postgres-data";
  static final String ROLE = "postgres";
  static final String IMAGE = "postgres:17.11-alpine";
  static final int PORT = 5432;

  /** The postgres user of the Alpine image. */
  private static final int UID = 70;

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String database;
  private final String user;
  private final @Nullable String password;

  private Postgres(NfsServer volume, String database, String user, @Nullable String password) {
    super(volume);
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /**
   * Database {@code dev}, user {@code dev}, a generated password, 1Gi on {@code do-block-storage}.
   */
  public static Postgres create() {
    return new Postgres(NfsServer.create(), "dev", "dev", null);
  }

  /** The data volume's size, a quantity such as {@code 10Gi}. */
  public Postgres size(String size) {
    return new Postgres(volume.size(size), database, user, password);
  }

  /** The data volume's storage class; null for the cluster's default. */
  public Postgres storageClass(@Nullable String storageClass) {
    return new Postgres(volume.storageClass(storageClass), database, user, password);
  }

  /** The database to create: lower-case letters, digits and _, as Postgres folds unquoted names. */
  public Postgres database(String database) {
    return new Postgres(volume, identifier("database", database), user, password);
  }

  /** The user to create, with the same rules as the database. */
  public Postgres user(String user) {
    return new Postgres(volume, database, identifier("user", user), password);
  }

  /** The password instead of a generated one: at least 12 printable characters. */
  public Postgres password(String password) {
    return new Postgres(
        volume, database, user, Passwords.requireUsable("the Postgres password", password));
  }

  /** The database the image creates on its first start. */
  public String database() {
    return database;
  }

  /** The user the image creates on its first start. */
  public String user() {
    return user;
  }

  @Override
  @Nullable String givenPassword() {
    return password;
  }

  @Override
  String storageClassSetter() {
    return "Postgres.create().storageClass(...)";
  }

  /** Where applications find it; the password is only in the Secret. */
  @Override
  public DataService access(RecipeContext context) {
    String host = Manifests.serviceHost(context, SERVICE);
    return new DataService(
        SERVICE,
        host,
        PORT,
        "postgresql://" + user + "@" + host + ":" + PORT + "/" + database,
        SECRET);
  }

  @Override
  KubeObject secret(RecipeContext context, String password) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("username", user);
    values.put("password", password);
    values.put("database", database);
    values.put(
        "url",
        "postgresql://"
            + user
            + ":"
            + Passwords.urlEncoded(password)
            + "@"
            + Manifests.serviceHost(context, SERVICE)
            + ":"
            + PORT
            + "/"
            + database);
    return DataStore.secret(context, SECRET, "postgres", values);
  }

  /**
   * Refuses a deploy whose user or database differ from those the existing credentials Secret (and
   * so the data) was made with: the image creates them only on an empty volume.
   */
  @Override
  void checkStored(RecipeContext context, KubeObject stored) {
    String storedUser = decoded(stored, "username");
    String storedDatabase = decoded(stored, "database");
    if ((storedUser != null && !storedUser.equals(user))
        || (storedDatabase != null && !storedDatabase.equals(database))) {
      throw new IllegalStateException(
          "Postgres in namespace "
              + context.namespace()
              + " was made with user "
              + storedUser
              + " and database "
              + storedDatabase
              + " (Secret "
              + SECRET
              + "), and its data keeps them: deploy with Postgres.create().user(\""
              + storedUser
              + "\").database(\""
              + storedDatabase
              + "\"), or tear the environment down with its data to start over");
    }
  }

  /** The claim, the Deployment and the Service. */
  @Override
  Objects server(RecipeContext context, KubeObject secret) {
    KubeObject claim =
        Manifests.claim(context, PVC, "postgres", volume.size(), volume.storageClass());
    Map<String, Object> postgres =
        container(
            "postgres",
            IMAGE,
            list(port("postgres", PORT, "containerPort")),
            list(mount("data", "/var/lib/postgresql/data", false)),
            Manifests.execProbe("pg_isready", "-h", "127.0.0.1", "-U", user, "-d", database));
    Manifests.memory(postgres, "128Mi", "512Mi");
    postgres.put(
        "env",
        list(
            map("name", "POSTGRES_USER", "value", user),
            map("name", "POSTGRES_DB", "value", database),
            Manifests.secretEnv("POSTGRES_PASSWORD", SECRET, "password"),
            // A subdirectory: a fresh block volume's root holds lost+found, which initdb refuses.
            map("name", "PGDATA", "value", "/var/lib/postgresql/data/pgdata")));
    postgres.put("securityContext", Manifests.nonRoot(UID, UID));
    KubeObject deployment = DataStore.deployment(context, DEPLOYMENT, ROLE, PVC, postgres, UID);
    KubeObject service =
        Manifests.clusterIpService(context, SERVICE, "postgres", ROLE, "postgres", PORT, PORT);
    return new Objects(secret, claim, deployment, service);
  }

  private static String identifier(String what, String value) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Postgres "
              + what
              + " \""
              + value
              + "\" is not a plain identifier:"
              + " use 1-63 lower-case letters, digits and _, starting with a letter or _");
    }
    return value;
  }

  @Override
  public String toString() {
    return "Postgres["
        + user
        + "@"
        + database
        + ", "
        + volume.size()
        + ", "
        + (password == null ? "generated password" : "given password")
        + "]";
  }
}
