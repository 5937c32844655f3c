package dev.devkube.examples;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ModifiersTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.DocTrees;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The public API's doc comments, read from source as javadoc reads them: every public type, and
 * every public or protected constructor, method, field and enum constant of a public type outside
 * the {@code internal} packages, says what it is. A method that overrides ({@code @Override})
 * inherits its comment; a record's compact constructor is described by the record's.
 */
final class DocComments {
  private DocComments() {}

  /**
   * Each declaration under {@code sourceRoot} that needs a comment and has none: file:line name.
   */
  static List<String> missing(Path sourceRoot) {
    List<Path> files =
        Architecture.sources(sourceRoot).stream()
            .filter(f -> !f.toString().contains("/internal/"))
            .filter(f -> !f.getFileName().toString().equals("package-info.java"))
            .toList();
    if (files.isEmpty()) {
      return List.of();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> found = new ArrayList<>();
    try (StandardJavaFileManager fileManager =
        javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
      JavacTask task =
          (JavacTask)
              javac.getTask(
                  null,
                  fileManager,
                  diagnostic -> {},
                  List.of("-proc:none"),
                  null,
                  fileManager.getJavaFileObjectsFromPaths(files));
      DocTrees docs = DocTrees.instance(task);
      for (CompilationUnitTree unit : task.parse()) {
        String source = unit.getSourceFile().getCharContent(true).toString();
        new Scanner(docs, unit, source, sourceRoot, found).scan(unit, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  private static final class Scanner extends TreePathScanner<Void, Void> {
    private final DocTrees docs;
    private final CompilationUnitTree unit;
    private final String source;
    private final Path root;
    private final List<String> found;

    Scanner(DocTrees docs, CompilationUnitTree unit, String source, Path root, List<String> found) {
      this.docs = docs;
      this.unit = unit;
      this.source = source;
      this.root = root.toAbsolutePath().normalize();
      this.found = found;
    }

    @Override
    public Void visitClass(ClassTree type, Void unused) {
      if (!visible(type.getModifiers(), enclosingIsInterface())) {
        return null; // nothing inside a hidden type is public API
      }
      check(type.getSimpleName().toString());
      return super.visitClass(type, null);
    }

    @Override
    public Void visitMethod(MethodTree method, Void unused) {
      ClassTree owner = (ClassTree) getCurrentPath().getParentPath().getLeaf();
      boolean inInterface = owner.getKind() == Tree.Kind.INTERFACE;
      boolean compact =
          owner.getKind() == Tree.Kind.RECORD
              && method.getReturnType() == null
              && compactConstructor(method);
      if (visible(method.getModifiers(), inInterface)
          && !overrides(method.getModifiers())
          && !compact
          && !generated(method)) {
        check(method.getReturnType() == null ? "constructor" : method.getName() + "()");
      }
      return null;
    }

    @Override
    public Void visitVariable(VariableTree variable, Void unused) {
      Tree parent = getCurrentPath().getParentPath().getLeaf();
      if (parent instanceof ClassTree owner) {
        boolean constant =
            owner.getKind() == Tree.Kind.ENUM
                && variable.getModifiers().getFlags().isEmpty()
                && variable.getType() == null;
        boolean inInterface = owner.getKind() == Tree.Kind.INTERFACE;
        boolean recordComponent =
            owner.getKind() == Tree.Kind.RECORD
                && !variable.getModifiers().getFlags().contains(Modifier.STATIC);
        if (!recordComponent && (constant || visible(variable.getModifiers(), inInterface))) {
          check(variable.getName().toString());
        }
      }
      return null;
    }

    private boolean enclosingIsInterface() {
      TreePath parent = getCurrentPath().getParentPath();
      return parent != null
          && parent.getLeaf() instanceof ClassTree owner
          && (owner.getKind() == Tree.Kind.INTERFACE
              || owner.getKind() == Tree.Kind.ANNOTATION_TYPE);
    }

    private static boolean visible(ModifiersTree modifiers, boolean inInterface) {
      var flags = modifiers.getFlags();
      return flags.contains(Modifier.PUBLIC)
          || flags.contains(Modifier.PROTECTED)
          || (inInterface && !flags.contains(Modifier.PRIVATE));
    }

    private static boolean overrides(ModifiersTree modifiers) {
      return modifiers.getAnnotations().stream()
          .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
    }

    /** An enum's implicit values()/valueOf() and a record's implicit members have no position. */
    private boolean generated(MethodTree method) {
      return docs.getSourcePositions().getStartPosition(unit, method) < 0;
    }

    private boolean compactConstructor(MethodTree method) {
      long start = docs.getSourcePositions().getStartPosition(unit, method);
      long end = docs.getSourcePositions().getStartPosition(unit, method.getBody()) + 1;
      if (start < 0 || end <= start) {
        return false;
      }
      String text = source.substring((int) start, (int) end);
      int brace = text.indexOf('{');
      return brace > 0 && !text.substring(0, brace).contains("(");
    }

    private void check(String name) {
      if (docs.getDocCommentTree(getCurrentPath()) == null) {
        long line =
            unit.getLineMap()
                .getLineNumber(
                    docs.getSourcePositions().getStartPosition(unit, getCurrentPath().getLeaf()));
        found.add(root.relativize(Path.of(unit.getSourceFile().toUri())) + ":" + line + " " + name);
      }
    }
  }
}
