package io.kopek.persistence.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper for API objects, and small helpers for reading object metadata. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Json() {}

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Equality of JSON trees where numbers compare by value: a tree read back from the journal may hold an IntNode
   * where the live one held a LongNode.
   */
  public static boolean same(JsonNode a, JsonNode b) {
    if (a == null || b == null) return a == b;
    return a.equals(NUMERIC_AWARE, b);
  }

  private static final java.util.Comparator<JsonNode> NUMERIC_AWARE = (x, y) -> {
    if (x.equals(y)) return 0;
    if (x.isNumber() && y.isNumber()) return x.decimalValue().compareTo(y.decimalValue());
    return 1;
  };

  /** Text at a dotted path such as "spec.nodeName", or null when absent or not a scalar. */
  public static String text(JsonNode root, String dottedPath) {
    JsonNode n = root;
    for (String part : dottedPath.split("\\.")) {
      if (n == null || !n.isObject()) return null;
      n = n.get(part);
    }
    if (n == null || n.isNull() || n.isContainerNode()) return null;
    return n.asText();
  }

  public static ObjectNode metadata(ObjectNode obj) {
    JsonNode m = obj.get("metadata");
    if (m instanceof ObjectNode o) return o;
    return obj.putObject("metadata");
  }

  public static String name(JsonNode obj) {
    return text(obj, "metadata.name");
  }

  public static String namespace(JsonNode obj) {
    return text(obj, "metadata.namespace");
  }

  public static long resourceVersion(JsonNode obj) {
    String rv = text(obj, "metadata.resourceVersion");
    if (rv == null || rv.isEmpty()) return 0;
    try {
      return Long.parseLong(rv);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
