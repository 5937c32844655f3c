package dev.devkube.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A module's public API as text: every public type outside {@code internal} packages, with its
 * public and protected constructors, methods and fields, one sorted line each, read from the
 * compiled classes. Kept per module in {@code <module>/api/<module>.api}, so that any change to the
 * surface is a visible diff in review.
 */
final class ApiSurface {
  private ApiSurface() {}

  /** The API of the module whose classes (a folder or a jar) hold {@code anchor}. */
  static String of(Class<?> anchor) {
    List<String> types = new ArrayList<>();
    for (String name : classNames(location(anchor))) {
      Class<?> type = load(name, anchor.getClassLoader());
      if (isApi(type)) {
        types.add(describe(type));
      }
    }
    return String.join("\n", new TreeSet<>(types)) + "\n";
  }

  private static boolean isApi(Class<?> type) {
    if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
      return false;
    }
    if (type.getPackageName().endsWith(".internal")
        || type.getPackageName().contains(".internal.")) {
      return false;
    }
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      if (!Modifier.isPublic(t.getModifiers()) && !Modifier.isProtected(t.getModifiers())) {
        return false;
      }
    }
    return true;
  }

  private static String describe(Class<?> type) {
    StringBuilder text = new StringBuilder(header(type)).append('\n');
    TreeSet<String> members = new TreeSet<>();
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      if (visible(constructor)) {
        members.add(constructor.toGenericString());
      }
    }
    for (Method method : type.getDeclaredMethods()) {
      if (visible(method) && !method.isBridge()) {
        // Whether a method locks is how it is built, not what callers may rely on.
        members.add(method.toGenericString().replace("synchronized ", ""));
      }
    }
    for (Field field : type.getDeclaredFields()) {
      if (!field.isSynthetic()
          && (Modifier.isPublic(field.getModifiers())
              || Modifier.isProtected(field.getModifiers()))) {
        members.add(field.toGenericString());
      }
    }
    members.forEach(m -> text.append("  ").append(m).append('\n'));
    return text.toString();
  }

  private static String header(Class<?> type) {
    String generic = type.toGenericString();
    // JDK 17 leaves "sealed" out of toGenericString(); later JDKs write it.
    if (type.isSealed() && !generic.contains("sealed ")) {
      generic = generic.replaceFirst("(class|interface) ", "sealed $1 ");
    }
    StringBuilder header = new StringBuilder(generic);
    if (type.getGenericSuperclass() != null
        && type.getSuperclass() != Object.class
        && !type.isEnum()
        && !type.isRecord()) {
      header.append(" extends ").append(type.getGenericSuperclass().getTypeName());
    }
    List<String> interfaces = new ArrayList<>();
    for (var i : type.getGenericInterfaces()) {
      interfaces.add(i.getTypeName());
    }
    if (!interfaces.isEmpty()) {
      header.append(type.isInterface() ? " extends " : " implements ");
      header.append(String.join(", ", interfaces));
    }
    return header.toString();
  }

  private static boolean visible(Executable member) {
    return !member.isSynthetic()
        && (Modifier.isPublic(member.getModifiers())
            || Modifier.isProtected(member.getModifiers()));
  }

  private static Path location(Class<?> anchor) {
    try {
      return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The classes in a class folder or a jar (the reactor hands tests either). */
  private static List<String> classNames(Path location) {
    try {
      if (Files.isDirectory(location)) {
        return classNames(location, location);
      }
      try (FileSystem jar = FileSystems.newFileSystem(location)) {
        return classNames(jar.getPath("/"), jar.getPath("/"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> classNames(Path root, Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .map(f -> root.relativize(f).toString())
          .filter(f -> f.endsWith(".class") && !f.endsWith("package-info.class"))
          .filter(f -> !f.startsWith("META-INF"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
          .sorted()
          .toList();
    }
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }
}
