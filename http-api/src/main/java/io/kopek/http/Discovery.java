package io.kopek.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kopek.persistence.resource.BuiltinResources;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * Discovery, from the registry: the legacy documents ({@code APIVersions}, {@code APIGroupList}, {@code APIGroup},
 * {@code APIResourceList}) and, when the client asks for it first, the aggregated {@code APIGroupDiscoveryList}
 * (apidiscovery.k8s.io v2 or v2beta1) for {@code /api} and {@code /apis}. Documents are cached per registry
 * snapshot, so custom resources show up as soon as they are registered.
 */
public final class Discovery {
  private final ResourceRegistry registry;
  private final String defaultServerAddress;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(List<ResourceType> snapshot, byte[] bytes) {}

  public Discovery(ResourceRegistry registry, String defaultServerAddress) {
    this.registry = registry;
    this.defaultServerAddress = defaultServerAddress;
  }

  HttpResponse serve(ResourcePath path, HttpRequest request) {
    String aggregated = aggregatedVersion(request);
    if (path instanceof ResourcePath.ApiVersions) {
      if (aggregated != null) return aggregated(aggregated, true);
      String address = request.getHeader("Host").map(h -> h.value()).orElse(defaultServerAddress);
      return JsonResponses.json(200, JsonResponses.write(g -> {
        g.writeStartObject();
        g.writeStringField("kind", "APIVersions");
        g.writeArrayFieldStart("versions");
        for (String gv : registry.groupVersions()) {
          if (!gv.contains("/")) g.writeString(gv);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("serverAddressByClientCIDRs");
        g.writeStartObject();
        g.writeStringField("clientCIDR", "0.0.0.0/0");
        g.writeStringField("serverAddress", address);
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
      }));
    }
    if (path instanceof ResourcePath.GroupList) {
      if (aggregated != null) return aggregated(aggregated, false);
      return JsonResponses.json(200, cached("groups", () -> JsonResponses.write(this::writeGroupList)));
    }
    if (path instanceof ResourcePath.Group gr) {
      return JsonResponses.json(200, cached("group/" + gr.group(), () -> JsonResponses.write(g -> {
        g.writeStartObject();
        g.writeStringField("kind", "APIGroup");
        g.writeStringField("apiVersion", "v1");
        writeGroupBody(g, gr.group(), versionsOf(gr.group()));
        g.writeEndObject();
      })));
    }
    ResourcePath.ResourceList rl = (ResourcePath.ResourceList) path;
    return JsonResponses.json(200, cached("resources/" + rl.group() + "/" + rl.version(),
        () -> JsonResponses.write(g -> writeResourceList(g, rl.group(), rl.version()))));
  }

  // ---- legacy ---------------------------------------------------------------------------------------------------

  private void writeGroupList(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "APIGroupList");
    g.writeStringField("apiVersion", "v1");
    g.writeArrayFieldStart("groups");
    for (Map.Entry<String, List<String>> e : groups().entrySet()) {
      if (e.getKey().isEmpty()) continue;
      g.writeStartObject();
      writeGroupBody(g, e.getKey(), e.getValue());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeGroupBody(JsonGenerator g, String group, List<String> versions) throws IOException {
    g.writeStringField("name", group);
    g.writeArrayFieldStart("versions");
    for (String v : versions) writeGroupVersion(g, group, v);
    g.writeEndArray();
    String preferred = registry.preferredVersion(group).orElse(versions.isEmpty() ? "" : versions.get(0));
    g.writeFieldName("preferredVersion");
    writeGroupVersion(g, group, preferred);
  }

  private static void writeGroupVersion(JsonGenerator g, String group, String version) throws IOException {
    g.writeStartObject();
    g.writeStringField("groupVersion", group.isEmpty() ? version : group + "/" + version);
    g.writeStringField("version", version);
    g.writeEndObject();
  }

  private void writeResourceList(JsonGenerator g, String group, String version) throws IOException {
    g.writeStartObject();
    g.writeStringField("kind", "APIResourceList");
    g.writeStringField("apiVersion", "v1");
    g.writeStringField("groupVersion", group.isEmpty() ? version : group + "/" + version);
    g.writeArrayFieldStart("resources");
    for (ResourceType t : registry.forGroupVersion(group, version)) {
      g.writeStartObject();
      g.writeStringField("name", t.plural());
      g.writeStringField("singularName", t.singular() == null ? "" : t.singular());
      g.writeBooleanField("namespaced", t.namespaced());
      g.writeStringField("kind", t.kind());
      writeStrings(g, "verbs", BuiltinResources.verbs(t), true);
      writeStrings(g, "shortNames", t.shortNames(), false);
      writeStrings(g, "categories", t.categories(), false);
      g.writeEndObject();
      for (String sub : t.subresources()) {
        Subresources.Info info = Subresources.of(t, sub);
        g.writeStartObject();
        g.writeStringField("name", t.plural() + "/" + sub);
        g.writeStringField("singularName", "");
        g.writeBooleanField("namespaced", t.namespaced());
        if (info.foreign()) {
          g.writeStringField("group", info.group());
          g.writeStringField("version", info.version());
        }
        g.writeStringField("kind", info.kind());
        writeStrings(g, "verbs", info.verbs(), true);
        g.writeEndObject();
      }
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  // ---- aggregated -----------------------------------------------------------------------------------------------

  /**
   * "v2" or "v2beta1" when the client's Accept lists aggregated discovery before plain JSON, else null (legacy).
   */
  static String aggregatedVersion(HttpRequest request) {
    String accept = request.getHeader("Accept").map(h -> h.value()).orElse("");
    for (String part : accept.split(",")) {
      String p = part.replace(" ", "").toLowerCase(Locale.ROOT);
      if (p.startsWith("application/json") && p.contains("as=apigroupdiscoverylist")
          && p.contains("g=apidiscovery.k8s.io")) {
        if (p.contains("v=v2beta1")) return "v2beta1";
        if (p.contains("v=v2;") || p.endsWith("v=v2")) return "v2";
      } else if (!p.isEmpty()) {
        return null; // something else comes first: answer that
      }
    }
    return null;
  }

  private HttpResponse aggregated(String version, boolean core) {
    byte[] body = cached("aggregated/" + version + "/" + core, () -> JsonResponses.write(g -> {
      g.writeStartObject();
      g.writeStringField("kind", "APIGroupDiscoveryList");
      g.writeStringField("apiVersion", "apidiscovery.k8s.io/" + version);
      g.writeObjectFieldStart("metadata");
      g.writeEndObject();
      g.writeArrayFieldStart("items");
      for (Map.Entry<String, List<String>> e : groups().entrySet()) {
        if (e.getKey().isEmpty() != core) continue;
        writeAggregatedGroup(g, e.getKey(), e.getValue());
      }
      g.writeEndArray();
      g.writeEndObject();
    }));
    ContentType ct = ContentTypes.parse("application/json;g=apidiscovery.k8s.io;v=" + version
        + ";as=APIGroupDiscoveryList");
    return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create(ct, body));
  }

  private void writeAggregatedGroup(JsonGenerator g, String group, List<String> versions) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("metadata");
    if (!group.isEmpty()) g.writeStringField("name", group);
    g.writeNullField("creationTimestamp");
    g.writeEndObject();
    g.writeArrayFieldStart("versions");
    for (String version : versions) {
      g.writeStartObject();
      g.writeStringField("version", version);
      g.writeArrayFieldStart("resources");
      for (ResourceType t : registry.forGroupVersion(group, version)) {
        g.writeStartObject();
        g.writeStringField("resource", t.plural());
        writeKind(g, "responseKind", t.group(), t.version(), t.kind());
        g.writeStringField("scope", t.namespaced() ? "Namespaced" : "Cluster");
        if (t.singular() != null && !t.singular().isEmpty()) g.writeStringField("singularResource", t.singular());
        writeStrings(g, "verbs", BuiltinResources.verbs(t), true);
        writeStrings(g, "shortNames", t.shortNames(), false);
        writeStrings(g, "categories", t.categories(), false);
        if (!t.subresources().isEmpty()) {
          g.writeArrayFieldStart("subresources");
          for (String sub : t.subresources()) {
            Subresources.Info info = Subresources.of(t, sub);
            g.writeStartObject();
            g.writeStringField("subresource", sub);
            writeKind(g, "responseKind", info.groupOr(t), info.versionOr(t), info.kind());
            writeStrings(g, "verbs", info.verbs(), true);
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeStringField("freshness", "Current");
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeKind(JsonGenerator g, String field, String group, String version, String kind)
      throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("group", group);
    g.writeStringField("version", version);
    g.writeStringField("kind", kind);
    g.writeEndObject();
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  /** group -> served versions, preferred first, groups in registration order (core first). */
  private Map<String, List<String>> groups() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String gv : registry.groupVersions()) {
      int slash = gv.indexOf('/');
      String group = slash < 0 ? "" : gv.substring(0, slash);
      String version = slash < 0 ? gv : gv.substring(slash + 1);
      out.computeIfAbsent(group, k -> new ArrayList<>()).add(version);
    }
    for (Map.Entry<String, List<String>> e : out.entrySet()) {
      String preferred = registry.preferredVersion(e.getKey()).orElse(null);
      if (preferred != null && e.getValue().remove(preferred)) e.getValue().add(0, preferred);
    }
    return out;
  }

  private List<String> versionsOf(String group) {
    return groups().getOrDefault(group, List.of());
  }

  private byte[] cached(String key, java.util.function.Supplier<byte[]> build) {
    List<ResourceType> snapshot = registry.all();
    Cached c = cache.get(key);
    if (c != null && c.snapshot() == snapshot) return c.bytes();
    byte[] bytes = build.get();
    cache.put(key, new Cached(snapshot, bytes));
    return bytes;
  }

  private static void writeStrings(JsonGenerator g, String field, List<String> values, boolean always)
      throws IOException {
    if (!always && (values == null || values.isEmpty())) return;
    g.writeArrayFieldStart(field);
    if (values != null) {
      for (String v : values) g.writeString(v);
    }
    g.writeEndArray();
  }
}
