/**
 * {@code FakeDigitalOcean} and {@code FakeKubernetes}, real HTTP servers for tests and the demo. They arrive with the testkit issue.
 */
@NullMarked
package dev.devkube.testkit;

import org.jspecify.annotations.NullMarked;
