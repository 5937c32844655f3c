package dev.devkube.recipes;

import dev.devkube.k8s.KubeObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an environment is made of, as {@link DevEnvironment.Builder#spec()} fixed it: immutable, and
 * all a deploy, a status or a teardown needs. The keys were checked when they were added.
 *
 * @param name the environment's name, on every object's part-of label
 * @param namespace its namespace
 * @param profile the images and naming profile
 * @param keys the authorized ssh public keys (at least one to deploy)
 * @param nfs the NFS server (unused with an external share)
 * @param externalShare an NFS share outside the environment (a cloud's managed file share, say)
 *     that the parts mount instead of an NFS server of their own; null for the server
 * @param ssh the ssh server
 * @param web the web server
 * @param ide the browser IDE, or null
 * @param toolbox the toolbox, or null
 * @param postgres the database, or null
 * @param redis the cache, or null
 * @param exposure how the web server and the IDE are reached
 * @param autoNodePorts whether a taken node port is replaced by the next free one
 * @param timeout how long each wait may take
 */
public record EnvironmentSpec(
    String name,
    String namespace,
    Profile profile,
    List<String> keys,
    NfsServer nfs,
    @Nullable NfsShare externalShare,
    SshServer ssh,
    WebServer web,
    @Nullable IdeServer ide,
    @Nullable Toolbox toolbox,
    @Nullable Postgres postgres,
    @Nullable Redis redis,
    Exposure exposure,
    boolean autoNodePorts,
    Duration timeout) {
  public EnvironmentSpec {
    Objects.requireNonNull(profile, "profile");
    keys = List.copyOf(keys);
    Objects.requireNonNull(nfs, "nfs");
    Objects.requireNonNull(ssh, "ssh");
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(exposure, "exposure");
    Objects.requireNonNull(timeout, "timeout");
    new RecipeContext(namespace, name, profile); // checks the name and the namespace
  }

  /** The names and labels every object of the environment gets. */
  public RecipeContext context() {
    return new RecipeContext(namespace, name, profile);
  }

  /** Whether something is reached through the ssh server, which must then forward TCP. */
  boolean needsForwarding() {
    return exposure == Exposure.SSH_TUNNEL || toolbox != null;
  }

  /** The ssh server as deployed: forwarding when something needs it. */
  SshServer placedSsh() {
    return ssh.tcpForwarding(ssh.tcpForwarding() || needsForwarding());
  }

  /**
   * Every object the environment is made of, for a share at {@code share}, with freshly generated
   * passwords and host key in the Secrets and no node in the NFS access policy. No I/O.
   */
  public List<KubeObject> objects(NfsShare share) {
    RecipeContext context = context();
    List<KubeObject> objects = new ArrayList<>();
    if (externalShare == null) {
      objects.addAll(nfs.objects(context).all());
      if (nfs.restrictsAccess()) {
        objects.add(nfs.accessPolicy(context, List.of()));
      }
    }
    if (postgres != null) {
      objects.addAll(postgres.objects(context).all());
    }
    if (redis != null) {
      objects.addAll(redis.objects(context).all());
    }
    objects.addAll(placedSsh().objects(context, share, keys).all());
    objects.addAll(web.objects(context, share, exposure).all());
    if (ide != null) {
      objects.addAll(ide.objects(context, share, exposure).all());
    }
    if (toolbox != null) {
      objects.addAll(toolbox.objects(context, share).all());
    }
    return objects;
  }

  @Override
  public String toString() {
    return "EnvironmentSpec["
        + name
        + " in "
        + namespace
        + ", "
        + profile.name()
        + ", "
        + keys.size()
        + " key(s), "
        + (externalShare == null ? nfs : "external share " + externalShare)
        + ", exposure "
        + exposure
        + (ide == null ? "" : ", " + ide)
        + (toolbox == null ? "" : ", " + toolbox)
        + (postgres == null ? "" : ", " + postgres)
        + (redis == null ? "" : ", " + redis)
        + "]";
  }
}
