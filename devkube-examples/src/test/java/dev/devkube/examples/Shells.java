package dev.devkube.examples;

import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * JShell for the tests: snippets run in the test's own thread, with the test's class path.
 *
 * <p>Not JShell's "local" engine: it runs each snippet on a new thread and then joins every thread
 * of that thread's group it can see, so a long-lived thread a snippet starts early enough (a fake
 * server's, a client's pool) is joined forever when the test's thread is slow to look: the rare
 * hang of a busy machine. Running in the caller's thread joins nothing.
 */
final class Shells {
  private Shells() {}

  static JShell inThisThread() {
    return JShell.builder()
        .executionEngine(
            new ExecutionControlProvider() {
              @Override
              public String name() {
                return "this-thread";
              }

              @Override
              public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return new DirectExecutionControl();
              }
            },
            Map.of())
        .build();
  }
}
