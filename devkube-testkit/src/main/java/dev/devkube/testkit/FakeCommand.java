package dev.devkube.testkit;

/**
 * A program that {@link FakeKubernetes}'s containers can run, added with {@link
 * FakeKubernetes#onExec}: exec runs it directly, the fake shell by name.
 *
 * <pre>{@code
 * cluster.onExec("pg_isready", process -> {
 *   process.stdout().write("/var/run/postgresql:5432 - accepting connections\n".getBytes(UTF_8));
 *   return 0;
 * });
 * }</pre>
 */
@FunctionalInterface
public interface FakeCommand {
  /** Runs to the end and returns the exit code. */
  int run(FakeProcess process) throws Exception;
}
