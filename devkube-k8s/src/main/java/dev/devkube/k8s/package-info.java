/**
 * {@code KubeClient}, a generic Kubernetes REST client. Its implementation arrives with the
 * KubeClient issue.
 */
@NullMarked
package dev.devkube.k8s;

import org.jspecify.annotations.NullMarked;
