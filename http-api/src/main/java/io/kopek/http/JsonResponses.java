package io.kopek.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.log.ResourceLog;
import io.kopek.persistence.resource.ResourceType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * JSON responses, written with the one shared ObjectMapper of kopek ({@link Json#MAPPER}) straight into bytes.
 */
public final class JsonResponses {
  private JsonResponses() {}

  @FunctionalInterface
  public interface Writer {
    void write(JsonGenerator g) throws IOException;
  }

  public static byte[] write(Writer writer) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
      writer.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static HttpResponse json(int code, byte[] body) {
    return HttpResponse.create().withStatus(StatusCodes.get(code))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body));
  }

  public static HttpResponse json(int code, JsonNode node) {
    return json(code, Json.bytes(node));
  }

  public static HttpResponse text(int code, String body) {
    return HttpResponse.create().withStatus(StatusCodes.get(code))
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, body));
  }

  /** An object as stored; kind and apiVersion are added when missing (stored objects normally carry them). */
  public static HttpResponse object(int code, ObjectNode object, ResourceType type) {
    return json(code, Json.bytes(withTypeMeta(object, type)));
  }

  static ObjectNode withTypeMeta(ObjectNode object, ResourceType type) {
    if (object.hasNonNull("kind") && object.hasNonNull("apiVersion")) return object;
    ObjectNode copy = Json.object();
    copy.put("apiVersion", type.apiVersion());
    copy.put("kind", type.kind());
    object.properties().forEach(e -> {
      if (!e.getKey().equals("kind") && !e.getKey().equals("apiVersion")) copy.set(e.getKey(), e.getValue());
    });
    return copy;
  }

  /**
   * A {@code <Kind>List}: {"kind","apiVersion","metadata":{"resourceVersion","continue","remainingItemCount"},
   * "items":[...]}, continue and remainingItemCount left out when absent.
   */
  public static byte[] list(ResourceType type, ResourceLog.Listed listed) {
    return list(type, listed.items(), Long.toString(listed.resourceVersion()), listed.continueToken(),
        listed.remaining());
  }

  public static byte[] list(ResourceType type, List<ObjectNode> items, String resourceVersion, String continueToken,
      Long remaining) {
    return write(g -> {
      g.writeStartObject();
      g.writeStringField("kind", type.kind() + "List");
      g.writeStringField("apiVersion", type.apiVersion());
      g.writeObjectFieldStart("metadata");
      if (resourceVersion != null) g.writeStringField("resourceVersion", resourceVersion);
      if (continueToken != null && !continueToken.isEmpty()) g.writeStringField("continue", continueToken);
      if (remaining != null && remaining > 0) g.writeNumberField("remainingItemCount", remaining);
      g.writeEndObject();
      g.writeArrayFieldStart("items");
      for (ObjectNode item : items) g.writeTree(withTypeMeta(item, type));
      g.writeEndArray();
      g.writeEndObject();
    });
  }
}
