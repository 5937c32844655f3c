/**
 * The fakes' implementation: JSON, the object store, the HTTP handlers and the simulated
 * controllers. Written for the wire protocols alone, sharing no code with the clients. Not API.
 */
@NullMarked
package dev.devkube.testkit.internal;

import org.jspecify.annotations.NullMarked;
