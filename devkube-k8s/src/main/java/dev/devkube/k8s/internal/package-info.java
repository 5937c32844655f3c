/**
 * The Kubernetes client's implementation: JSON, YAML, PEM, kubeconfig, discovery and HTTP plumbing.
 * Not API.
 */
@NullMarked
package dev.devkube.k8s.internal;

import org.jspecify.annotations.NullMarked;
