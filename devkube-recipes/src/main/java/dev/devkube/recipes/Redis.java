package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A single Redis instance: append-only data on its own claim, a generated password in a Secret
 * ({@code requirepass}), a ClusterIP Service only, a readiness probe that pings with the password,
 * and no root. Immutable; {@link #toString()} never shows the password.
 */
public final class Redis extends DataStore {
  static final String DEPLOYMENT = "redis";
  static final String SERVICE = "redis";
  static final String SECRET = "redis-credentials";
  static final String PVC = "redis-data";
  static final String ROLE = "redis";
  static final String IMAGE = "redis:7.4.11-alpine";
  static final int PORT = 6379;

  /** The redis user and group of the Alpine image. */
  private static final int UID = 999;

  private static final int GID = 1000;

  private final @Nullable String password;

  private Redis(NfsServer volume, @Nullable String password) {
    super(volume);
    this.password = password;
  }

  /** A generated password, 1Gi on {@code do-block-storage}. */
  public static Redis create() {
    return new Redis(NfsServer.create(), null);
  }

  /** The data volume's size, a quantity such as {@code 2Gi}. */
  public Redis size(String size) {
    return new Redis(volume.size(size), password);
  }

  /** The data volume's storage class; null for the cluster's default. */
  public Redis storageClass(@Nullable String storageClass) {
    return new Redis(volume.storageClass(storageClass), password);
  }

  /** The password instead of a generated one: at least 12 printable characters. */
  public Redis password(String password) {
    return new Redis(volume, Passwords.requireUsable("the Redis password", password));
  }

  @Override
  @Nullable String givenPassword() {
    return password;
  }

  @Override
  String storageClassSetter() {
    return "Redis.create().storageClass(...)";
  }

  /** Where applications find it; the password is only in the Secret. */
  @Override
  public DataService access(RecipeContext context) {
    String host = Manifests.serviceHost(context, SERVICE);
    return new DataService(SERVICE, host, PORT, "redis://" + host + ":" + PORT, SECRET);
  }

  @Override
  KubeObject secret(RecipeContext context, String password) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("password", password);
    values.put(
        "url",
        "redis://:"
            + Passwords.urlEncoded(password)
            + "@"
            + Manifests.serviceHost(context, SERVICE)
            + ":"
            + PORT);
    return DataStore.secret(context, SECRET, "redis", values);
  }

  /** The claim, the Deployment and the Service. */
  @Override
  Objects server(RecipeContext context, KubeObject secret) {
    KubeObject claim = Manifests.claim(context, PVC, "redis", volume.size(), volume.storageClass());
    Map<String, Object> redis =
        container(
            "redis",
            IMAGE,
            list(port("redis", PORT, "containerPort")),
            list(mount("data", "/data", false)),
            // redis-cli reads the password from REDISCLI_AUTH, so it is on no command line.
            Manifests.execProbe("sh", "-c", "redis-cli ping | grep -q PONG"));
    Manifests.memory(redis, "64Mi", "256Mi");
    redis.put(
        "command",
        list(
            "sh",
            "-c",
            "exec redis-server --appendonly yes --dir /data --requirepass \"$REDISCLI_AUTH\""));
    redis.put("env", list(Manifests.secretEnv("REDISCLI_AUTH", SECRET, "password")));
    redis.put("securityContext", Manifests.nonRoot(UID, GID));
    KubeObject deployment = DataStore.deployment(context, DEPLOYMENT, ROLE, PVC, redis, GID);
    KubeObject service =
        Manifests.clusterIpService(context, SERVICE, "redis", ROLE, "redis", PORT, PORT);
    return new Objects(secret, claim, deployment, service);
  }

  @Override
  public String toString() {
    return "Redis["
        + volume.size()
        + ", "
        + (password == null ? "generated password" : "given password")
        + "]";
  }
}
