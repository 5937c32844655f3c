package dev.devkube.recipes;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a deploy learned about reaching the environment, which {@link DevEnvironment} answers from.
 *
 * @param nfs the share: the NFS Service's cluster IP and path, or the external share
 * @param accessIps the node addresses it is reached on
 * @param sshNodePort sshd's node port
 * @param webNodePort the web server's node port; 0 when not on the nodes
 * @param exposure how web and IDE are reached
 * @param ide the IDE, when deployed
 * @param toolbox the toolbox, when deployed
 * @param postgres Postgres, when deployed
 * @param redis Redis, when deployed
 * @param tunnelCommand the ssh tunnel's command, when web and IDE are reached through it
 * @param sshHostKeys the host key sshd serves, when known
 * @param warnings what the deploy warned about
 */
record Access(
    NfsShare nfs,
    List<String> accessIps,
    int sshNodePort,
    int webNodePort,
    Exposure exposure,
    @Nullable IdeAccess ide,
    @Nullable ToolboxAccess toolbox,
    @Nullable DataService postgres,
    @Nullable DataService redis,
    @Nullable String tunnelCommand,
    @Nullable SshHostKeys sshHostKeys,
    List<String> warnings) {
  Access {
    accessIps = List.copyOf(accessIps);
    warnings = List.copyOf(warnings);
  }
}
