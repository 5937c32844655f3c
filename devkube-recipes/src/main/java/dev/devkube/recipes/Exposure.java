package dev.devkube.recipes;

/**
 * How the web server and the IDE are reached from outside the cluster. Only {@link #NODE_PORT}
 * opens ports on the nodes for them; with the others, only sshd (key-only) listens there.
 */
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
  SSH_TUNNEL,
  /**
   * Only through the API server: their Services are ClusterIP, nothing but sshd listens on the
   * nodes, and {@link DevEnvironment#forward(Part, int)} forwards a loopback port to them with the
   * cluster's own authentication (no ssh key, no TCP forwarding in sshd). The access URLs are the
   * loopback ports the ssh tunnel would use, {@code http://127.0.0.1:8080} and {@code :3000}.
   */
  FORWARD
}
