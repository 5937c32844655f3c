package dev.devkube.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * DESIGN.md's arrows, checked on source text: every reference to a devkube package in a main source
 * file (imports, static imports and fully qualified names) is mapped to the module that owns the
 * package and compared with what that module may use.
 */
final class Architecture {
  /** The modules under rule, by folder, with the modules each may use (itself aside). */
  static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "devkube-api", Set.of(),
          "devkube-digitalocean", Set.of("devkube-api"),
          "devkube-k8s", Set.of("devkube-api"),
          "devkube-recipes", Set.of("devkube-api", "devkube-k8s"),
          "devkube-testkit", Set.of("devkube-api"),
          "devkube-examples",
              Set.of(
                  "devkube-api",
                  "devkube-digitalocean",
                  "devkube-k8s",
                  "devkube-recipes",
                  "devkube-testkit"));

  /**
   * The one internal package other modules may use: devkube-api's helpers shared by devkube's own
   * modules (its package-info says so). Every other {@code internal} package is its module's own.
   */
  static final String SHARED_INTERNAL = "dev.devkube.internal";

  private static final Pattern REFERENCE =
      Pattern.compile("\\bdev\\.devkube((?:\\.[a-z][a-z0-9_]*)*)\\.[A-Z*]");
  private static final Pattern PICOCLI = Pattern.compile("\\bpicocli\\.");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package [\\w.]+;");
  private static final Pattern COMMENTS =
      Pattern.compile(
          "//[^\\n]*|/\\*.*?\\*/|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)'",
          Pattern.DOTALL);

  private Architecture() {}

  /** The module that owns a package: its first segment after {@code dev.devkube}, or api. */
  static String module(String packageName) {
    String rest = packageName.equals("dev.devkube") ? "" : packageName.substring(12);
    String first = rest.isEmpty() ? "" : rest.split("\\.", -1)[0];
    return first.isEmpty() || first.equals("internal") ? "devkube-api" : "devkube-" + first;
  }

  /** Every rule broken under {@code root}, one line each, naming the file and the reference. */
  static List<String> violations(Path root) {
    List<String> found = new ArrayList<>();
    for (String module : ALLOWED.keySet()) {
      for (Path file : sources(root.resolve(module).resolve("src/main/java"))) {
        found.addAll(violations(module, root.relativize(file).toString(), read(file)));
      }
    }
    return found;
  }

  /** The rules that one main source file of {@code module} breaks. */
  static List<String> violations(String module, String file, String source) {
    List<String> found = new ArrayList<>();
    String code = PACKAGE.matcher(COMMENTS.matcher(source).replaceAll(" ")).replaceAll(" ");
    if (!module.equals("devkube-examples") && PICOCLI.matcher(code).find()) {
      found.add(
          file
              + ": "
              + module
              + " uses picocli, which DESIGN.md allows the examples only (a library parses no"
              + " command line)");
    }
    Matcher matcher = REFERENCE.matcher(code);
    while (matcher.find()) {
      String packageName = "dev.devkube" + matcher.group(1);
      String owner = module(packageName);
      if (owner.equals(module)) {
        continue;
      }
      if (!ALLOWED.getOrDefault(module, Set.of()).contains(owner)) {
        found.add(
            file
                + ": "
                + module
                + " uses "
                + packageName
                + " of "
                + owner
                + ", an arrow DESIGN.md forbids");
      } else if ((packageName.endsWith(".internal") || packageName.contains(".internal."))
          && !packageName.equals(SHARED_INTERNAL)) {
        found.add(
            file + ": " + module + " uses " + packageName + ", an internal package of " + owner);
      }
    }
    return found;
  }

  /** The main source files of a module, for callers that count them. */
  static List<Path> sources(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
