package dev.devkube.testkit;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** One run of a {@link FakeCommand}: its arguments and standard streams, in a container. */
public interface FakeProcess {
  /** The arguments; the first is the program as it was called. */
  List<String> args();

  InputStream stdin();

  OutputStream stdout();

  OutputStream stderr();

  FakeContainer container();
}
