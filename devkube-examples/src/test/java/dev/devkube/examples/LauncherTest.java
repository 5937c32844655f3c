package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.testkit.FakeDigitalOcean;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's way to run a sample program, {@code devkube-examples/run <Program> [options]}, as a
 * user's shell runs it: a new JVM per program, exit codes, and what Ctrl-C says.
 */
class LauncherTest {
  private static final Path LAUNCHER = Path.of("run").toAbsolutePath();
  @TempDir Path tmp;

  /** The launcher with {@code args}; the classes this build compiled, never a build of its own. */
  private static ProcessBuilder launcher(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.contains("TOKEN"));
    builder.environment().put("DEVKUBE_RUN_BUILD", "never");
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    return builder;
  }

  private static Run run(Map<String, String> env, String... args) throws Exception {
    Process process = launcher(env, args).start();
    process.getOutputStream().close();
    CompletableFuture<String> out = read(process.getInputStream());
    CompletableFuture<String> err = read(process.getErrorStream());
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("ended").isTrue();
    return new Run(process.exitValue(), out.get(), err.get());
  }

  private static CompletableFuture<String> read(java.io.InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  @Test
  void everyProgramRunsAsTheReadmeSays() throws Exception {
    assertThat(Files.isExecutable(LAUNCHER)).as(LAUNCHER + " is executable").isTrue();
    for (String program : List.of("CreateCluster", "DeployDevEnvironment", "Teardown", "Demo")) {
      Run help = run(Map.of(), program, "--help");
      assertThat(help.code()).as(program + ": " + help.err()).isZero();
      assertThat(help.out()).startsWith("Usage: " + program + " ").contains("--debug");
      assertThat(help.err()).isEmpty();
    }
    Run noToken = run(Map.of(), "CreateCluster", "--yes");
    assertThat(noToken.code()).isEqualTo(2);
    assertThat(noToken.err()).startsWith("error: no DigitalOcean token: export");
  }

  @Test
  void bashCompletesProgramsAndTheirOptions() throws Exception {
    Run completion = run(Map.of(), "--completion");
    assertThat(completion.code()).as(completion.err()).isZero();
    Path script = tmp.resolve("completion.bash");
    Files.writeString(script, completion.out());
    assertThat(completion.out())
        .contains("complete -F _complete_run -o default devkube-examples/run");

    // What bash offers after "devkube-examples/run Cre" and "... CreateCluster --cluster-t".
    String offered =
        bash(
            "source "
                + script
                + "; COMP_WORDS=(devkube-examples/run Cre); COMP_CWORD=1; _complete_run;"
                + " echo \"${COMPREPLY[@]}\";"
                + " COMP_WORDS=(devkube-examples/run CreateCluster --cluster-t); COMP_CWORD=2;"
                + " _complete_run; echo \"${COMPREPLY[@]}\"");
    assertThat(offered.lines()).containsExactly("CreateCluster", "--cluster-timeout");
  }

  private static String bash(String script) throws Exception {
    // compopt complains outside a real completion; the replies are on standard output.
    Process process =
        new ProcessBuilder("bash", "-c", script)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    process.getOutputStream().close();
    CompletableFuture<String> out = read(process.getInputStream());
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(out.get()).isZero();
    return out.get();
  }

  @Test
  void aProgramThatIsNotThereIsBadUsage() throws Exception {
    Run none = run(Map.of());
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.out())
        .contains("usage: devkube-examples/run <Program> [options]")
        .contains("CreateCluster DeployDevEnvironment Teardown Demo");
    Run unknown = run(Map.of(), "Deploy");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("error: no sample program named \"Deploy\"");
  }

  @Test
  void ctrlCWhileTheClusterIsCreatedSaysWhatIsLeftAndHowToGoOn() throws Exception {
    try (FakeDigitalOcean cloud =
        FakeDigitalOcean.builder().provisioningTime(Duration.ofMinutes(10)).start()) {
      Path err = tmp.resolve("stderr");
      Process process =
          launcher(
                  Map.of("DIGITALOCEAN_ACCESS_TOKEN", FakeDigitalOcean.TOKEN),
                  "CreateCluster",
                  "--yes",
                  "--api-url",
                  cloud.url().toString(),
                  "--dir",
                  tmp.toString())
              .redirectError(err.toFile())
              .start();
      process.getOutputStream().close();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = out.readLine();
      } while (line != null && !line.startsWith("Creating cluster devkube ("));
      assertThat(line).as("the cluster is being created").isNotNull();

      // SIGTERM runs the JVM's shutdown hooks as Ctrl-C's SIGINT does (a process started here may
      // inherit SIGINT ignored); Process.destroy() would close the output it reads first.
      Process kill = new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start();
      assertThat(kill.waitFor(1, TimeUnit.MINUTES)).isTrue();
      assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();

      String id = cloud.clusterIds().iterator().next();
      assertThat(Files.readString(err))
          .contains(
              "Cluster devkube ("
                  + id
                  + ") is still being created on DigitalOcean, and is billed:"
                  + " `devkube-examples/run CreateCluster --dir "
                  + tmp
                  + "` adopts it and waits again; `devkube-examples/run Teardown"
                  + " --delete-cluster --dir "
                  + tmp
                  + "` deletes it");
    }
  }
}
