package io.kopek.http;

import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import java.util.ArrayList;
import java.util.List;

/**
 * What an API path names, parsed against the registry:
 * <ul>
 *   <li>{@code /api}, {@code /apis}, {@code /apis/{g}}, {@code /api/v1}, {@code /apis/{g}/{v}}: discovery;</li>
 *   <li>{@code .../{resource}}: a collection (for a namespaced resource: across all namespaces);</li>
 *   <li>{@code .../namespaces/{ns}/{resource}[/{name}[/{subresource}]]}: namespaced;</li>
 *   <li>{@code .../{resource}/{name}[/{subresource}]}: cluster-scoped (so {@code /api/v1/namespaces/{name}/status});</li>
 *   <li>the deprecated {@code .../watch/...} prefix of any of the above.</li>
 * </ul>
 */
public sealed interface ResourcePath {

  /** Not an API path at all (health, metrics, ... or unknown). */
  record Other() implements ResourcePath {}

  /** Under /api or /apis but naming nothing served: 404 with upstream's wording. */
  record Unknown() implements ResourcePath {}

  record ApiVersions() implements ResourcePath {}

  record GroupList() implements ResourcePath {}

  record Group(String group) implements ResourcePath {}

  record ResourceList(String group, String version) implements ResourcePath {}

  /**
   * @param namespace      "" when the path has none
   * @param name           null for a collection
   * @param subresource    null for the main resource
   * @param legacyWatch    the path came with the deprecated /watch/ prefix
   */
  record Resource(ResourceType type, String namespace, String name, String subresource, boolean legacyWatch)
      implements ResourcePath {
    public boolean collection() {
      return name == null;
    }

    public boolean allNamespaces() {
      return type.namespaced() && namespace.isEmpty();
    }
  }

  static ResourcePath parse(Iterable<String> pathSegments, ResourceRegistry registry) {
    List<String> segs = new ArrayList<>();
    for (String s : pathSegments) segs.add(s);
    // The path "/" gives ["", ...]: drop the empty segment of the leading slash and of one trailing slash.
    if (!segs.isEmpty() && segs.get(0).isEmpty()) segs.remove(0);
    if (!segs.isEmpty() && segs.get(segs.size() - 1).isEmpty()) segs.remove(segs.size() - 1);
    if (segs.isEmpty()) return new Other();
    String root = segs.get(0);
    String group;
    String version;
    int restAt;
    if (root.equals("api")) {
      if (segs.size() == 1) return new ApiVersions();
      group = "";
      version = segs.get(1);
      restAt = 2;
    } else if (root.equals("apis")) {
      if (segs.size() == 1) return new GroupList();
      group = segs.get(1);
      if (segs.size() == 2) {
        return registry.preferredVersion(group).isPresent() && !group.isEmpty() ? new Group(group) : new Unknown();
      }
      if (group.isEmpty()) return new Unknown();
      version = segs.get(2);
      restAt = 3;
    } else {
      return new Other();
    }
    if (registry.forGroupVersion(group, version).isEmpty()) return new Unknown();
    List<String> rest = segs.subList(restAt, segs.size());
    if (rest.isEmpty()) return new ResourceList(group, version);
    boolean watch = false;
    if (rest.get(0).equals("watch")) {
      watch = true;
      rest = rest.subList(1, rest.size());
      if (rest.isEmpty()) return new Unknown();
    }
    for (String s : rest) {
      if (s.isEmpty()) return new Unknown();
    }
    if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
      ResourceType t = registry.byPath(group, version, rest.get(2)).orElse(null);
      if (t != null && t.namespaced()) {
        if (rest.size() > 5) return new Unknown();
        return new Resource(t, rest.get(1), rest.size() > 3 ? rest.get(3) : null, rest.size() > 4 ? rest.get(4) : null,
            watch);
      }
    }
    ResourceType t = registry.byPath(group, version, rest.get(0)).orElse(null);
    if (t == null) return new Unknown();
    if (rest.size() == 1) return new Resource(t, "", null, null, watch);
    if (t.namespaced() || rest.size() > 3) return new Unknown();
    return new Resource(t, "", rest.get(1), rest.size() > 2 ? rest.get(2) : null, watch);
  }
}
