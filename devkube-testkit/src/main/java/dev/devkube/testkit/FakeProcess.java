package dev.devkube.testkit;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/** One run of a {@link FakeCommand}: its arguments and standard streams, in a container. */
public interface FakeProcess {
  /** The arguments; the first is the program as it was called. */
  List<String> args();

  /** What the command reads. */
  InputStream stdin();

  /** Where the command writes its output. */
  OutputStream stdout();

  /** Where the command writes its errors. */
  OutputStream stderr();

  /** The container the command runs in. */
  FakeContainer container();
}
