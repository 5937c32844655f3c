package dev.devkube.recipes;

/**
 * How to get a shell in the toolbox.
 *
 * @param sshCommand through the ssh server as a jump host, such as {@code ssh -J
 *     dev@203.0.113.7:30022 dev@toolbox-service.default.svc.cluster.local}
 * @param execCommand with kubectl, such as {@code kubectl -n default exec -it deploy/toolbox --
 *     bash}
 */
public record ToolboxAccess(String sshCommand, String execCommand) {}
