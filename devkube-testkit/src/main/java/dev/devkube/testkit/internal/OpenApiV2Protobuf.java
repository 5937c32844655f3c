package dev.devkube.testkit.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The OpenAPI v2 document in the protobuf form kube-apiserver serves at {@code /openapi/v2} to
 * {@code Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf}, which client-go
 * (kubectl before 1.27 always, later kubectl for some commands) asks for: gnostic's {@code
 * openapi.v2.Document} (field numbers from github.com/google/gnostic-models, {@code
 * openapiv2/OpenAPIv2.proto}). Schemas carry their references, types, formats, required fields,
 * properties, items, additional properties and vendor extensions (as YAML, which client-go parses);
 * operations their id, query parameters, response schema and vendor extensions.
 */
final class OpenApiV2Protobuf {
  private OpenApiV2Protobuf() {}

  /** A protobuf message being written: fields appended in any order. */
  private static final class Message {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void tag(int field, int wire) {
      varint(((long) field << 3) | wire);
    }

    private void varint(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    Message string(int field, @Nullable Object value) {
      if (value != null) {
        bytes(field, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
      }
      return this;
    }

    Message bool(int field, boolean value) {
      if (value) {
        tag(field, 0);
        varint(1);
      }
      return this;
    }

    Message message(int field, Message value) {
      return bytes(field, value.out.toByteArray());
    }

    private Message bytes(int field, byte[] value) {
      tag(field, 2);
      varint(value.length);
      out.write(value, 0, value.length);
      return this;
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }

  /** The document: swagger version, info, paths and definitions. */
  static byte[] document(Map<String, @Nullable Object> paths, Map<String, ?> definitions) {
    Message document = new Message().string(1, "2.0");
    document.message(2, new Message().string(1, "Kubernetes").string(2, "v1.36.0"));
    Message pathsMessage = new Message();
    paths.forEach(
        (path, item) ->
            pathsMessage.message(2, new Message().string(1, path).message(2, pathItem(item))));
    document.message(8, pathsMessage);
    Message definitionsMessage = new Message();
    definitions.forEach(
        (name, schema) ->
            definitionsMessage.message(
                1, new Message().string(1, name).message(2, schema(schema))));
    document.message(9, definitionsMessage);
    return document.toByteArray();
  }

  private static Message pathItem(@Nullable Object item) {
    Message message = new Message();
    List<String> methods = List.of("get", "put", "post", "delete", "options", "head", "patch");
    if (item instanceof Map<?, ?> operations) {
      for (int i = 0; i < methods.size(); i++) {
        Object operation = operations.get(methods.get(i));
        if (operation != null) {
          message.message(i + 2, operation(operation));
        }
      }
    }
    return message;
  }

  private static Message operation(Object operation) {
    Message message = new Message().string(5, Doc.get(operation, "operationId"));
    for (Object parameter : Doc.list(operation, "parameters")) {
      Message query =
          new Message()
              .string(2, Doc.get(parameter, "in"))
              .string(4, Doc.get(parameter, "name"))
              .string(6, Doc.get(parameter, "type"));
      Message nonBody = new Message().message(3, query);
      message.message(8, new Message().message(1, new Message().message(2, nonBody)));
    }
    Message responses = new Message();
    if (Doc.get(operation, "responses") instanceof Map<?, ?> codes) {
      codes.forEach(
          (code, response) -> {
            Message value = new Message().string(1, Doc.get(response, "description"));
            if (Doc.get(response, "schema") != null) {
              value.message(2, new Message().message(1, schema(Doc.get(response, "schema"))));
            }
            responses.message(
                1, new Message().string(1, code).message(2, new Message().message(1, value)));
          });
    }
    message.message(9, responses);
    vendorExtensions(message, 13, operation);
    return message;
  }

  private static Message schema(@Nullable Object schema) {
    Message message = new Message();
    if (!(schema instanceof Map<?, ?> map)) {
      return message;
    }
    message.string(1, map.get("$ref")).string(2, map.get("format"));
    for (Object required : Doc.list(schema, "required")) {
      message.string(19, required);
    }
    Object additional = map.get("additionalProperties");
    if (additional instanceof Map<?, ?>) {
      message.message(21, new Message().message(1, schema(additional)));
    } else if (additional instanceof Boolean allowed) {
      message.message(21, new Message().bool(2, allowed));
    }
    if (map.get("type") != null) {
      message.message(22, new Message().string(1, map.get("type")));
    }
    if (map.get("items") instanceof Map<?, ?> items) {
      message.message(23, new Message().message(1, schema(items)));
    }
    for (Object part : Doc.list(schema, "allOf")) {
      message.message(24, schema(part));
    }
    if (map.get("properties") instanceof Map<?, ?> properties) {
      Message props = new Message();
      properties.forEach(
          (name, property) ->
              props.message(1, new Message().string(1, name).message(2, schema(property))));
      message.message(25, props);
    }
    vendorExtensions(message, 31, schema);
    return message;
  }

  /** The {@code x-} keys of a JSON object as gnostic NamedAny entries holding YAML (here JSON). */
  private static void vendorExtensions(Message message, int field, Object object) {
    if (object instanceof Map<?, ?> map) {
      map.forEach(
          (key, value) -> {
            if (String.valueOf(key).startsWith("x-")) {
              message.message(
                  field,
                  new Message()
                      .string(1, key)
                      .message(2, new Message().string(2, Doc.write(value))));
            }
          });
    }
  }
}
