package dev.devkube.recipes;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devkube.k8s.KubeObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The draft-04 subset the strict Kubernetes schemas in the reference folder use: $ref to
 * definitions, allOf, oneOf, type, properties, additionalProperties false, required, items, enum.
 */
final class StrictSchema {
  private final Map<?, ?> root;
  private final boolean closeObjects;

  private StrictSchema(Map<?, ?> root, boolean closeObjects) {
    this.root = root;
    this.closeObjects = closeObjects;
  }

  /**
   * The strict schema of {@code definition} (e.g. {@code io.k8s.api.networking.v1.NetworkPolicy})
   * made from the reference folder's swagger as its README describes the strict files: objects with
   * properties take no others, and int-or-string takes either. Skipped when the swagger is absent.
   */
  static StrictSchema fromSwagger(String definition) {
    Path path = reference().resolve("swagger-v1.36.0.json");
    assumeTrue(
        Files.isRegularFile(path),
        "swagger not found at " + path + " (it lives beside the repository)");
    try {
      Map<String, Object> root = new java.util.LinkedHashMap<>();
      root.put("$ref", "#/definitions/" + definition);
      root.put("definitions", KubeObject.parse(Files.readString(path)).toMap().get("definitions"));
      return new StrictSchema(root, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path reference() {
    return Path.of(System.getProperty("devkube.reference", "../../shared/reference"))
        .resolve("kubernetes-schemas")
        .normalize();
  }

  /**
   * The strict schema for {@code file} (e.g. {@code deployment-apps-v1-strict.json}), or the test
   * is skipped.
   */
  static StrictSchema load(String file) {
    Path path = reference().resolve(file);
    assumeTrue(
        Files.isRegularFile(path),
        "schema not found at " + path + " (it lives beside the repository)");
    try {
      return new StrictSchema(KubeObject.parse(Files.readString(path)).toMap(), false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<String> validate(Object value) {
    List<String> errors = new ArrayList<>();
    check(value, root, "$", errors);
    return errors;
  }

  private void check(Object value, Map<?, ?> schema, String path, List<String> errors) {
    if (schema.containsKey("$ref")) {
      String ref = (String) schema.get("$ref");
      Map<?, ?> definitions =
          (Map<?, ?>) Objects.requireNonNull(root.get("definitions"), "definitions");
      Object target = definitions.get(ref.substring("#/definitions/".length()));
      check(value, (Map<?, ?>) Objects.requireNonNull(target, ref), path, errors);
      return;
    }
    if (schema.containsKey("allOf")) {
      for (Object branch : (List<?>) schema.get("allOf")) {
        check(value, (Map<?, ?>) branch, path, errors);
      }
      return;
    }
    if (schema.containsKey("oneOf")) {
      int matches = 0;
      for (Object branch : (List<?>) schema.get("oneOf")) {
        List<String> branchErrors = new ArrayList<>();
        check(value, (Map<?, ?>) branch, path, branchErrors);
        matches += branchErrors.isEmpty() ? 1 : 0;
      }
      if (matches != 1) {
        errors.add(path + ": matches " + matches + " branches of oneOf");
      }
      return;
    }
    if ("int-or-string".equals(schema.get("format"))) {
      if (!(value instanceof String || value instanceof Integer || value instanceof Long)) {
        errors.add(path + ": expected an integer or a string, got " + value);
      }
      return;
    }
    if (schema.containsKey("enum") && !((List<?>) schema.get("enum")).contains(value)) {
      errors.add(path + ": " + value + " is not one of " + schema.get("enum"));
    }
    Object type = schema.get("type");
    if ("object".equals(type) || schema.containsKey("properties")) {
      if (!(value instanceof Map)) {
        errors.add(path + ": expected an object");
        return;
      }
      Map<?, ?> object = (Map<?, ?>) value;
      Map<?, ?> properties =
          schema.get("properties") instanceof Map ? (Map<?, ?>) schema.get("properties") : Map.of();
      for (Object required :
          schema.get("required") instanceof List ? (List<?>) schema.get("required") : List.of()) {
        if (!object.containsKey(required)) {
          errors.add(path + ": required " + required + " is missing");
        }
      }
      for (Map.Entry<?, ?> entry : object.entrySet()) {
        Object property = properties.get(entry.getKey());
        if (property instanceof Map) {
          check(entry.getValue(), (Map<?, ?>) property, path + "." + entry.getKey(), errors);
        } else if (Boolean.FALSE.equals(schema.get("additionalProperties"))
            || (closeObjects
                && !schema.containsKey("additionalProperties")
                && !properties.isEmpty())) {
          errors.add(path + "." + entry.getKey() + ": not allowed (unknown field)");
        } else if (schema.get("additionalProperties") instanceof Map) {
          check(
              entry.getValue(),
              (Map<?, ?>) schema.get("additionalProperties"),
              path + "." + entry.getKey(),
              errors);
        }
      }
    } else if ("array".equals(type)) {
      if (!(value instanceof List)) {
        errors.add(path + ": expected an array");
        return;
      }
      List<?> items = (List<?>) value;
      for (int i = 0; i < items.size(); i++) {
        check(
            items.get(i),
            (Map<?, ?>) Objects.requireNonNull(schema.get("items"), path),
            path + "[" + i + "]",
            errors);
      }
    } else if (("string".equals(type) && !(value instanceof String))
        || ("boolean".equals(type) && !(value instanceof Boolean))
        || ("integer".equals(type) && !(value instanceof Integer || value instanceof Long))
        || ("number".equals(type) && !(value instanceof Number))) {
      errors.add(path + ": expected " + type + ", got " + value);
    }
  }
}
