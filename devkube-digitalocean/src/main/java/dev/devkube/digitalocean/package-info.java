/**
 * The DigitalOcean Kubernetes (DOKS) {@code CloudProvider}. Its implementation arrives with the DigitalOcean provider issue; this package holds its public entry points.
 */
@NullMarked
package dev.devkube.digitalocean;

import org.jspecify.annotations.NullMarked;
