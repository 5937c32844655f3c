package dev.devkube.recipes;

import java.util.List;
import java.util.Objects;

/**
 * The ssh server's host key, generated once per environment and kept in a Secret, so that it stays
 * the same across restarts and redeploys: check {@link #fingerprint()} on the first connection, or
 * add {@link #knownHosts()} to {@code ~/.ssh/known_hosts} and never answer the question at all.
 *
 * @param publicKey the key as {@code ssh-ed25519 AAAA... comment}
 * @param fingerprint the key's SHA-256 fingerprint as ssh prints it, {@code SHA256:...}
 * @param knownHosts {@code known_hosts} lines: the node addresses with the ssh node port ({@code
 *     [203.0.113.7]:30022,...}), and the toolbox's in-cluster name when it has one (reached with
 *     {@code ssh -J})
 */
public record SshHostKeys(String publicKey, String fingerprint, List<String> knownHosts) {
  public SshHostKeys {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(fingerprint, "fingerprint");
    knownHosts = List.copyOf(knownHosts);
  }
}
