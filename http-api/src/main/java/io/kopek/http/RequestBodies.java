package io.kopek.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.StoreError;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Materializer;

/**
 * Request bodies: read with upstream's 3 MiB limit, content types checked, JSON decoded and its kind/apiVersion
 * defaulted from the path and checked against it, with upstream's error wording.
 */
final class RequestBodies {
  private RequestBodies() {}

  static final String JSON = "application/json";
  static final String YAML = "application/yaml";
  static final String PROTOBUF = "application/vnd.kubernetes.protobuf";
  static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";
  static final String APPLY_PATCH = "application/apply-patch+yaml";

  /** What we decode for create/update (YAML and protobuf are not decoded yet). */
  static final List<String> OBJECT_TYPES = List.of(JSON);

  private static final long READ_TIMEOUT_MILLIS = 60_000;
  /** Larger bodies than this are not even drained: the connection is closed after the 413. */
  private static final long DRAIN_LIMIT = 64L * 1024 * 1024;
  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  // ---- reading ------------------------------------------------------------------------------------------------

  /** The body's bytes, or a failed stage with a 413 Status error when it is over 3 MiB. */
  static CompletionStage<byte[]> read(HttpRequest request, Materializer mat) {
    HttpEntity entity = request.entity();
    OptionalLong length = entity.getContentLengthOption();
    if (length.isPresent() && length.getAsLong() > StatusResponses.MAX_BODY_BYTES) {
      return entity.withSizeLimit(DRAIN_LIMIT).discardBytes(mat).completionStage()
          .handle((done, failure) -> {
            throw StatusResponses.tooLarge().exception();
          });
    }
    return entity.withSizeLimit(StatusResponses.MAX_BODY_BYTES).toStrict(READ_TIMEOUT_MILLIS, mat)
        .thenApply(strict -> strict.getData().toArray());
  }

  /** Lets a body we do not need go, so the connection can carry the next request. */
  static void discard(HttpRequest request, Materializer mat) {
    try {
      if (!request.entity().isKnownEmpty()) request.entity().withSizeLimit(DRAIN_LIMIT).discardBytes(mat);
    } catch (RuntimeException e) {
      // already consumed: nothing left to discard
    }
  }

  /** The request's media type without parameters, lower case; "" when the client sent none. */
  static String mediaType(HttpRequest request) {
    String ct = request.entity().getContentType().mediaType().toString().toLowerCase(Locale.ROOT);
    int semi = ct.indexOf(';');
    if (semi >= 0) ct = ct.substring(0, semi).trim();
    // Pekko reports a missing Content-Type as application/octet-stream; upstream then assumes JSON.
    return ct.equals("application/octet-stream") ? "" : ct;
  }

  // ---- objects --------------------------------------------------------------------------------------------------

  /**
   * Decodes a create/update body into an object of the path's type, defaulting kind and apiVersion from the path
   * when missing and refusing a body of another kind or version.
   */
  static ObjectNode decodeObject(String mediaType, byte[] body, ResourceType type, ResourceRegistry registry) {
    if (!mediaType.isEmpty() && !mediaType.equals(JSON) && !mediaType.equals("*/*")) {
      throw StatusResponses.unsupportedMediaType(OBJECT_TYPES).exception();
    }
    JsonNode node = parse(body, type);
    ObjectNode obj = (ObjectNode) node;
    JsonNode kindNode = obj.get("kind");
    JsonNode versionNode = obj.get("apiVersion");
    for (var entry : new Object[][] {{"kind", kindNode}, {"apiVersion", versionNode}}) {
      JsonNode v = (JsonNode) entry[1];
      if (v != null && !v.isNull() && !v.isTextual()) {
        throw unrecognized(type, "couldn't get version/kind; json parse error: json: cannot unmarshal "
            + goType(v) + " into Go struct field ." + entry[0] + " of type string", body);
      }
    }
    String kind = kindNode == null || kindNode.isNull() ? "" : kindNode.asText();
    String apiVersion = versionNode == null || versionNode.isNull() ? "" : versionNode.asText();
    if (kind.isEmpty()) obj.put("kind", kind = type.kind());
    if (apiVersion.isEmpty()) obj.put("apiVersion", apiVersion = type.apiVersion());
    checkTypeMeta(kind, apiVersion, type, registry);
    return obj;
  }

  private static void checkTypeMeta(String kind, String apiVersion, ResourceType type, ResourceRegistry registry) {
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
    if (kind.equals(type.kind())) {
      if (!apiVersion.equals(type.apiVersion())) {
        throw StoreError.badRequest("the API version in the data (" + apiVersion
            + ") does not match the expected API version (" + type.apiVersion() + ")").exception();
      }
      return;
    }
    String base;
    if (registry.byKind(group, version, kind).isPresent()) {
      base = "converting (" + version + "." + kind + ") to (" + internalPackage(type) + "." + type.kind()
          + "): unknown conversion";
    } else {
      base = "no kind \"" + kind + "\" is registered for version \"" + apiVersion
          + "\" in scheme \"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\"";
    }
    throw StoreError.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + type.kind() + ": "
        + base).exception();
  }

  private static String internalPackage(ResourceType type) {
    if (type.group().isEmpty()) return "core";
    int dot = type.group().indexOf('.');
    return dot < 0 ? type.group() : type.group().substring(0, dot);
  }

  /** Parses a JSON object; anything else is upstream's "the object provided is unrecognized" 400. */
  private static JsonNode parse(byte[] body, ResourceType type) {
    JsonNode node;
    try {
      node = body.length == 0 ? null : READER.readTree(body);
    } catch (JsonProcessingException e) {
      throw unrecognized(type, "couldn't get version/kind; json parse error: " + goJsonError(e), body);
    } catch (java.io.IOException e) {
      throw unrecognized(type, "couldn't get version/kind; json parse error: " + e.getMessage(), body);
    }
    if (node == null || node.isMissingNode()) {
      throw unrecognized(type, "couldn't get version/kind; json parse error: unexpected end of JSON input", body);
    }
    if (!node.isObject()) {
      throw unrecognized(type, "couldn't get version/kind; json parse error: json: cannot unmarshal " + goType(node)
          + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
          + "Kind string \"json:\\\"kind,omitempty\\\"\" }", body);
    }
    return node;
  }

  /** A JSON body that is not an object (DeleteOptions, Scale, ...): parsed, or a 400 worded like upstream's. */
  static ObjectNode parseOptions(byte[] body) {
    JsonNode node;
    try {
      node = READER.readTree(body);
    } catch (JsonProcessingException e) {
      throw StoreError.badRequest("couldn't get version/kind; json parse error: " + goJsonError(e)).exception();
    } catch (java.io.IOException e) {
      throw StoreError.badRequest(e.getMessage()).exception();
    }
    if (node == null || node.isMissingNode()) return Json.object();
    if (!node.isObject()) {
      throw StoreError.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal "
          + goType(node) + " into Go value of type struct").exception();
    }
    return (ObjectNode) node;
  }

  private static RuntimeException unrecognized(ResourceType type, String base, byte[] body) {
    return StoreError.badRequest("the object provided is unrecognized (must be of type " + type.kind() + "): " + base
        + " (" + summarize(body, 30) + ")").exception();
  }

  /** Upstream's summarizeData: the start of a JSON body as text, anything else as hex. */
  static String summarize(byte[] data, int max) {
    if (data.length == 0) return "<empty>";
    boolean more = data.length > max;
    byte[] head = more ? java.util.Arrays.copyOf(data, max) : data;
    String s = data[0] == '{' ? new String(head, StandardCharsets.UTF_8) : HexFormat.of().formatHex(head);
    return more ? s + " ..." : s;
  }

  private static String goType(JsonNode n) {
    if (n.isArray()) return "array";
    if (n.isObject()) return "object";
    if (n.isNumber()) return "number";
    if (n.isBoolean()) return "bool";
    if (n.isTextual()) return "string";
    return "null";
  }

  private static final Pattern CHAR = Pattern.compile("\\('(.)' \\(code \\d+\\)\\)");
  private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.)");

  /** Jackson's parse error in the words of Go's encoding/json, which is what clients see from upstream. */
  static String goJsonError(JsonProcessingException e) {
    String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
    if (m.contains("end-of-input")) return "unexpected end of JSON input";
    Matcher token = TOKEN.matcher(m);
    if (token.find()) return "invalid character '" + token.group(1) + "' looking for beginning of value";
    if (m.startsWith("Trailing token")) return "invalid character after top-level value";
    Matcher c = CHAR.matcher(m);
    String ch = c.find() ? c.group(1) : null;
    if (ch != null) {
      String where;
      if (m.contains("double-quote to start field name")) where = "looking for beginning of object key string";
      else if (m.contains("comma to separate Object")) where = "after object key:value pair";
      else if (m.contains("colon to separate")) where = "after object key";
      else if (m.contains("comma to separate Array")) where = "after array element";
      else if (m.contains("control character")) where = "in string literal";
      else where = "looking for beginning of value";
      return "invalid character '" + ch + "' " + where;
    }
    return m;
  }
}
