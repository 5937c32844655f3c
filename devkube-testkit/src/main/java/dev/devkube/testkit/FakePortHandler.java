package dev.devkube.testkit;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * What answers one forwarded TCP connection to a container port of {@link FakeKubernetes}, added
 * with {@link FakeKubernetes#onPort}. It reads what the client sent from {@code in}, writes its
 * answer to {@code out}, and returns when it is done with the connection.
 */
@FunctionalInterface
public interface FakePortHandler {
  /** Serves one forwarded connection to {@code container}: reads {@code in}, writes {@code out}. */
  void serve(FakeContainer container, InputStream in, OutputStream out) throws Exception;
}
