package io.kopek.persistence.log;

import com.fasterxml.jackson.databind.JsonNode;
import io.kopek.persistence.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The opaque continue token of a paginated list: the version the first page was read at, and the last key. */
record ContinueToken(long resourceVersion, String after) {

  String encode() {
    var node = Json.object().put("v", "meta.k8s.io/v1").put("rv", resourceVersion).put("start", after);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(node));
  }

  /** @throws IllegalArgumentException when the token is not one of ours */
  static ContinueToken decode(String token) {
    try {
      JsonNode node = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
      if (!node.path("rv").canConvertToLong() || !node.path("start").isTextual()) {
        throw new IllegalArgumentException("missing fields");
      }
      return new ContinueToken(node.get("rv").asLong(), node.get("start").asText());
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
