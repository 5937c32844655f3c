/**
 * Clients no one here wrote drive FakeKubernetes: kubectl and the official Python client (where
 * installed), fabric8 {@code kubernetes-client} and {@code io.kubernetes:client-java}.
 */
@NullMarked
package dev.devkube.conformance;

import org.jspecify.annotations.NullMarked;
