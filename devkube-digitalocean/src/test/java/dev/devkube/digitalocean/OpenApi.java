package dev.devkube.digitalocean;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Reads DigitalOcean's OpenAPI files from the reference folder and checks JSON values against their
 * schemas: types, enums, required fields, UUID formats, and (stricter than the spec) that every
 * property is declared, which catches a misspelt field name, and that a request sends no read-only
 * one. Public, in devkube-digitalocean's test-jar, so that the testkit's tests can hold
 * FakeDigitalOcean's answers to the same contract.
 */
public final class OpenApi {
  private static final java.util.regex.Pattern UUID =
      java.util.regex.Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final Path kubernetes;
  private final Map<Path, Object> files = new HashMap<>();

  private OpenApi(Path kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** The reference folder, or the test is skipped with the reason. */
  static Path reference() {
    String dir = System.getProperty("devkube.reference", "../../shared/reference");
    Path path = Path.of(dir).normalize();
    assumeTrue(
        Files.isDirectory(path),
        "reference material not found at "
            + path
            + " (it lives beside the repository as shared/reference)");
    return path;
  }

  public static OpenApi load() {
    return new OpenApi(
        reference().resolve("digitalocean-openapi/specification/resources/kubernetes"));
  }

  Path kubernetes() {
    return kubernetes;
  }

  /** The request body schema of an operation file, e.g. {@code kubernetes_create_cluster.yml}. */
  Schema requestSchema(String operationFile) {
    Path file = kubernetes.resolve(operationFile);
    Object schema = at(yaml(file), "requestBody", "content", "application/json", "schema");
    return new Schema(schema, file);
  }

  /** A YAML file's content, e.g. the response examples. */
  @SuppressWarnings("unchecked")
  Map<String, Object> yamlMap(String relative) {
    return (Map<String, Object>) yaml(kubernetes.resolve(relative));
  }

  /** Returns the errors of {@code value} against {@code schema}; empty when it conforms. */
  List<String> validate(Object value, Schema schema) {
    List<String> errors = new ArrayList<>();
    check(value, schema, "$", errors, true);
    return errors;
  }

  /**
   * Returns the errors of a response body against what {@code operationFile} (relative to the
   * specification's {@code resources} folder, e.g. {@code kubernetes/kubernetes_get_cluster.yml})
   * declares for {@code status}; read-only properties belong in answers.
   */
  public List<String> validateResponse(@Nullable Object body, String operationFile, int status) {
    Path file = kubernetes.resolve("..").resolve(operationFile).normalize();
    Object response = at(yaml(file), "responses", String.valueOf(status));
    Path responseFile = file;
    if (response instanceof Map<?, ?> ref && ref.get("$ref") instanceof String target) {
      responseFile = file.resolveSibling(target).normalize();
      response = yaml(responseFile);
    }
    if (response == null) {
      return List.of(operationFile + " declares no " + status + " answer");
    }
    Object schema = at(response, "content", "application/json", "schema");
    if (schema == null) {
      return body == null ? List.of() : List.of(operationFile + " " + status + " has no body");
    }
    List<String> errors = new ArrayList<>();
    check(body, new Schema(schema, responseFile), "$", errors, false);
    return errors;
  }

  record Schema(@Nullable Object node, Path file) {}

  private void check(
      @Nullable Object value, Schema schema, String path, List<String> errors, boolean request) {
    Schema s = deref(schema);
    Map<String, Object> node = map(s.node());
    if (value == null) {
      if (!Boolean.TRUE.equals(node.get("nullable")) && node.containsKey("type")) {
        errors.add(path + ": null is not allowed");
      }
      return;
    }
    for (String combiner : List.of("anyOf", "oneOf")) {
      if (node.containsKey(combiner)) {
        boolean any = false;
        for (Object branch : list(node.get(combiner))) {
          List<String> branchErrors = new ArrayList<>();
          check(value, new Schema(branch, s.file()), path, branchErrors, request);
          any |= branchErrors.isEmpty();
        }
        if (!any) {
          errors.add(path + ": matches no branch of " + combiner);
        }
        return;
      }
    }
    Object type = node.get("type");
    Map<String, Schema> properties = properties(s);
    if ("object".equals(type) || !properties.isEmpty()) {
      if (!(value instanceof Map)) {
        errors.add(path + ": expected an object, got " + value);
        return;
      }
      Map<?, ?> object = (Map<?, ?>) value;
      for (String required : required(s)) {
        if (!object.containsKey(required)) {
          errors.add(path + ": required property " + required + " is missing");
        }
      }
      boolean open = node.containsKey("additionalProperties") || properties.isEmpty();
      for (Map.Entry<?, ?> entry : object.entrySet()) {
        String name = (String) entry.getKey();
        Schema property = properties.get(name);
        if (property == null) {
          if (!open) {
            errors.add(path + "." + name + ": not a property of the schema");
          }
          continue;
        }
        if (request && Boolean.TRUE.equals(map(deref(property).node()).get("readOnly"))) {
          errors.add(path + "." + name + ": is read-only and must not be sent");
        }
        check(entry.getValue(), property, path + "." + name, errors, request);
      }
      return;
    }
    if ("array".equals(type)) {
      if (!(value instanceof List)) {
        errors.add(path + ": expected an array, got " + value);
        return;
      }
      List<?> items = (List<?>) value;
      for (int i = 0; i < items.size(); i++) {
        check(
            items.get(i),
            new Schema(node.get("items"), s.file()),
            path + "[" + i + "]",
            errors,
            request);
      }
      return;
    }
    if (("string".equals(type) && !(value instanceof String))
        || ("boolean".equals(type) && !(value instanceof Boolean))
        || (("integer".equals(type) || "number".equals(type)) && !(value instanceof Number))) {
      errors.add(path + ": expected " + type + ", got " + value);
      return;
    }
    if ("integer".equals(type) && ((Number) value).doubleValue() % 1 != 0) {
      errors.add(path + ": expected an integer, got " + value);
    }
    if ("uuid".equals(node.get("format"))
        && value instanceof String text
        && !text.isEmpty()
        && !UUID.matcher(text).matches()) {
      errors.add(path + ": " + value + " is not a UUID");
    }
    if (node.containsKey("enum") && !list(node.get("enum")).contains(value)) {
      errors.add(path + ": " + value + " is not one of " + node.get("enum"));
    }
  }

  /** The properties of a schema, merged across allOf and $ref. */
  private Map<String, Schema> properties(Schema schema) {
    Schema s = deref(schema);
    Map<String, Object> node = map(s.node());
    Map<String, Schema> result = new LinkedHashMap<>();
    for (Object branch : list(node.get("allOf"))) {
      result.putAll(properties(new Schema(branch, s.file())));
    }
    map(node.get("properties"))
        .forEach((name, property) -> result.put(name, new Schema(property, s.file())));
    return result;
  }

  private Set<String> required(Schema schema) {
    Schema s = deref(schema);
    Map<String, Object> node = map(s.node());
    Set<String> result = new LinkedHashSet<>();
    for (Object branch : list(node.get("allOf"))) {
      result.addAll(required(new Schema(branch, s.file())));
    }
    for (Object name : list(node.get("required"))) {
      result.add((String) name);
    }
    return result;
  }

  private Schema deref(Schema schema) {
    Schema s = schema;
    while (s.node() instanceof Map && map(s.node()).containsKey("$ref")) {
      String ref = String.valueOf(map(s.node()).get("$ref"));
      int hash = ref.indexOf('#');
      Path file =
          hash == 0
              ? s.file()
              : s.file().resolveSibling(hash < 0 ? ref : ref.substring(0, hash)).normalize();
      @Nullable Object target = yaml(file);
      if (hash >= 0) {
        for (String part : ref.substring(hash + 1).split("/", -1)) {
          if (!part.isEmpty()) {
            target = map(target).get(part);
          }
        }
      }
      s = new Schema(target, file);
    }
    return s;
  }

  private Object yaml(Path file) {
    return files.computeIfAbsent(
        file,
        f -> {
          try {
            return new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static @Nullable Object at(@Nullable Object node, String... keys) {
    Object current = node;
    for (String key : keys) {
      current = map(current).get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(@Nullable Object node) {
    return node instanceof Map ? (Map<String, Object>) node : Map.of();
  }

  private static List<?> list(@Nullable Object node) {
    return node instanceof List ? (List<?>) node : List.of();
  }
}
