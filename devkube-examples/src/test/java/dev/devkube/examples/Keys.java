package dev.devkube.examples;

/** A well-formed public key line for the tests (nobody logs in to the fakes). */
final class Keys {
  static final String ED25519 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXN0a2V5dGVzdGtleXRlc3RrZXl0ZXN0a2V5MTI= t@x";

  private Keys() {}
}
