package dev.devkube.examples;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Prints a bash completion script for {@code devkube-examples/run}: the program names, then each
 * program's options, as picocli derives them from the same declarations that parse them. {@code
 * source <(devkube-examples/run --completion)} in a shell (or add it to ~/.bashrc).
 */
public final class Completion {
  private Completion() {}

  /** The launcher as picocli sees it: one subcommand per program. */
  @Command(name = "run")
  static final class Launcher {}

  public static void main(String[] args) {
    System.out.print(script());
  }

  /** The script: picocli's, registered for the launcher's paths as well as for {@code run}. */
  static String script() {
    Cli.Io io = Cli.Io.system();
    CommandLine line =
        new CommandLine(new Launcher())
            .addSubcommand("CreateCluster", new CreateCluster(io))
            .addSubcommand("DeployDevEnvironment", new DeployDevEnvironment(io))
            .addSubcommand("Teardown", new Teardown(io))
            .addSubcommand("Demo", new Demo(io));
    return AutoComplete.bash("run", line)
        + "\ncomplete -F _complete_run -o default devkube-examples/run ./devkube-examples/run ./run\n";
  }
}
