/**
 * The DigitalOcean provider's implementation: the Retrofit interface, its JSON model and the HTTP
 * plumbing. Not API.
 */
@NullMarked
package dev.devkube.digitalocean.internal;

import org.jspecify.annotations.NullMarked;
