package dev.devkube.recipes;

/** How the web server and the IDE are reached from outside the cluster. */
public enum Exposure {
  /**
   * On a node port of every node's public address (the original's way); the IDE asks for a
   * password.
   */
  NODE_PORT,
  /**
   * Only through the ssh server: their Services are ClusterIP, nothing but sshd listens on the
   * nodes, and the environment gives the {@code ssh -L} command that forwards them to localhost.
   */
  SSH_TUNNEL
}
