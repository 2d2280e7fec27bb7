package io.kopek.persistence.resource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The resources the server serves, looked up by URL path, storage name, kind or a kubectl-style name.
 *
 * <p>Thread-safe and lock-free for readers: every change builds a new immutable snapshot (copy-on-write) and
 * publishes it through a volatile field, so a reader always sees one consistent state. Changes (custom resources
 * coming and going) are rare and serialized.
 *
 * <p>Order matters: {@link #all()} and {@link #groupVersions()} follow registration order, and where a resource is
 * served at several versions the first registered is the preferred one ({@link #byStorageName}, {@link
 * #preferredVersion}, the first hit of {@link #resolve}).
 */
public final class ResourceRegistry {

  private final Object writeLock = new Object();
  private volatile Snapshot snapshot;

  public ResourceRegistry(List<ResourceType> types) {
    List<ResourceType> list = new ArrayList<>();
    for (ResourceType t : types) {
      check(t);
      int at = indexOf(list, t.group(), t.version(), t.plural());
      if (at >= 0) throw new IllegalArgumentException("duplicate resource " + describe(t));
      checkKindConflict(list, t, -1);
      list.add(t);
    }
    snapshot = new Snapshot(list);
  }

  /** A registry of the built-in resources ({@link BuiltinResources#all()}). */
  public static ResourceRegistry builtin() {
    return new ResourceRegistry(BuiltinResources.all());
  }

  // ---- lookups ---------------------------------------------------------------------------------------------

  /** The resource served at /api/{version}/{plural} (group "") or /apis/{group}/{version}/{plural}. */
  public Optional<ResourceType> byPath(String group, String version, String plural) {
    if (group == null || version == null || plural == null) return Optional.empty();
    return Optional.ofNullable(snapshot.byPath.get(pathKey(group, version, plural)));
  }

  /** The preferred version of a stored resource: "pods", "deployments.apps", "widgets.example.com". */
  public Optional<ResourceType> byStorageName(String storageName) {
    if (storageName == null) return Optional.empty();
    return Optional.ofNullable(snapshot.byStorageName.get(storageName));
  }

  /** The resource of a kind in a group version (exact, case-sensitive as apiVersion/kind are on the wire). */
  public Optional<ResourceType> byKind(String group, String version, String kind) {
    if (group == null || version == null || kind == null) return Optional.empty();
    return Optional.ofNullable(snapshot.byKind.get(pathKey(group, version, kind)));
  }

  /** Every served group/version/resource, in registration order. */
  public List<ResourceType> all() {
    return snapshot.all;
  }

  /** The resources of one group version, in registration order; empty if the group version is not served. */
  public List<ResourceType> forGroupVersion(String group, String version) {
    if (group == null || version == null) return List.of();
    return snapshot.byGroupVersion.getOrDefault(apiVersion(group, version), List.of());
  }

  /** The served group versions as apiVersion strings ("v1", "apps/v1", ...) in registration order. */
  public List<String> groupVersions() {
    return snapshot.groupVersions;
  }

  /** The version of a group registered first, which is the one discovery prefers: "v1" for "", "v2" for autoscaling. */
  public Optional<String> preferredVersion(String group) {
    if (group == null) return Optional.empty();
    return Optional.ofNullable(snapshot.preferredVersion.get(group));
  }

  /**
   * What a kubectl user may type for a resource, case-insensitively: plural ("pods"), singular ("pod"), a short
   * name ("po"), the kind ("Pod"), optionally qualified by group ("deployments.apps", "deploy.apps") or by version
   * and group ("hpa.v1.autoscaling", "widgets.v1.example.com").
   *
   * @return every matching group/version/resource in registration order, so the first is the one kubectl would
   *     pick (core before other groups, preferred version before the others); empty if nothing matches
   */
  public List<ResourceType> resolve(String nameOrShortName) {
    if (nameOrShortName == null) return List.of();
    String s = nameOrShortName.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) return List.of();
    Snapshot snap = snapshot;
    Set<ResourceType> out = new LinkedHashSet<>();
    for (ResourceType t : snap.all) {
      if (answersTo(t, s)) out.add(t);
    }
    int dot = s.indexOf('.');
    if (dot > 0 && dot < s.length() - 1) {
      String name = s.substring(0, dot);
      String rest = s.substring(dot + 1);
      int dot2 = rest.indexOf('.');
      for (ResourceType t : snap.all) {
        if (!answersTo(t, name)) continue;
        if (t.group().equals(rest)) {
          out.add(t); // name.group
        } else if (dot2 > 0 && t.version().equals(rest.substring(0, dot2))
            && t.group().equals(rest.substring(dot2 + 1))) {
          out.add(t); // name.version.group
        }
      }
    }
    return List.copyOf(out);
  }

  // ---- changes (custom resources) --------------------------------------------------------------------------

  /**
   * Serves a resource. A custom resource already registered at the same group/version/plural is replaced in place
   * (its position, and so its preference, is kept); otherwise the resource is appended.
   *
   * @throws IllegalArgumentException if it would replace a built-in resource, or its kind is already served
   *     under another plural in the same group version
   */
  public void register(ResourceType type) {
    check(type);
    synchronized (writeLock) {
      List<ResourceType> list = new ArrayList<>(snapshot.all);
      int at = indexOf(list, type.group(), type.version(), type.plural());
      if (at >= 0 && list.get(at).builtin()) {
        throw new IllegalArgumentException("cannot replace built-in resource " + describe(list.get(at)));
      }
      checkKindConflict(list, type, at);
      if (at >= 0) list.set(at, type);
      else list.add(type);
      snapshot = new Snapshot(list);
    }
  }

  /**
   * Replaces every served version of one custom resource at once (a CustomResourceDefinition whose versions
   * changed), so that no reader sees the resource missing in between. The new versions take the place of the
   * first old one, in the order given (the first is preferred); an empty list unregisters the resource.
   *
   * @return the versions that were served before
   */
  public List<ResourceType> replace(String group, String plural, List<ResourceType> versions) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(plural, "plural");
    for (ResourceType t : versions) {
      check(t);
      if (!t.group().equals(group) || !t.plural().equals(plural)) {
        throw new IllegalArgumentException(describe(t) + " is not a version of " + plural + "." + group);
      }
    }
    synchronized (writeLock) {
      List<ResourceType> list = new ArrayList<>(snapshot.all);
      List<ResourceType> removed = new ArrayList<>();
      int insertAt = -1;
      for (int i = 0; i < list.size(); i++) {
        ResourceType t = list.get(i);
        if (t.group().equals(group) && t.plural().equals(plural)) {
          if (t.builtin()) throw new IllegalArgumentException("cannot replace built-in resource " + describe(t));
          if (insertAt < 0) insertAt = i;
          removed.add(t);
        }
      }
      list.removeAll(removed);
      if (insertAt < 0) insertAt = list.size();
      List<ResourceType> added = new ArrayList<>();
      for (ResourceType t : versions) {
        if (indexOf(added, t.group(), t.version(), t.plural()) >= 0) {
          throw new IllegalArgumentException("duplicate version " + describe(t));
        }
        checkKindConflict(list, t, -1);
        added.add(t);
      }
      list.addAll(insertAt, added);
      snapshot = new Snapshot(list);
      return List.copyOf(removed);
    }
  }

  /**
   * Stops serving every version of a custom resource.
   *
   * @return the versions that were served (empty if none)
   * @throws IllegalArgumentException for a built-in resource
   */
  public List<ResourceType> unregister(String group, String plural) {
    return replace(group, plural, List.of());
  }

  // ---- internals -------------------------------------------------------------------------------------------

  private static boolean answersTo(ResourceType t, String lower) {
    if (t.plural().equals(lower)) return true;
    if (t.singular() != null && t.singular().equals(lower)) return true;
    if (t.kind().toLowerCase(Locale.ROOT).equals(lower)) return true;
    for (String shortName : t.shortNames()) {
      if (shortName.toLowerCase(Locale.ROOT).equals(lower)) return true;
    }
    return false;
  }

  private static void check(ResourceType t) {
    Objects.requireNonNull(t, "resource type");
    if (t.group() == null) throw new IllegalArgumentException("group is null");
    if (t.version() == null || t.version().isEmpty()) throw new IllegalArgumentException("version is empty");
    if (t.kind() == null || t.kind().isEmpty()) throw new IllegalArgumentException("kind is empty");
    if (t.plural() == null || t.plural().isEmpty()) throw new IllegalArgumentException("plural is empty");
    if (t.shortNames() == null || t.categories() == null || t.subresources() == null
        || t.fieldSelectors() == null || t.nameRule() == null) {
      throw new IllegalArgumentException(describe(t) + " has null fields");
    }
  }

  /** The same kind may not be served by two plurals in one group version (byKind must stay a function). */
  private static void checkKindConflict(List<ResourceType> list, ResourceType t, int except) {
    for (int i = 0; i < list.size(); i++) {
      if (i == except) continue;
      ResourceType o = list.get(i);
      if (o.group().equals(t.group()) && o.version().equals(t.version()) && o.kind().equals(t.kind())
          && !o.plural().equals(t.plural())) {
        throw new IllegalArgumentException(
            "kind " + t.kind() + " in " + t.apiVersion() + " is already served as " + o.plural());
      }
    }
  }

  private static int indexOf(List<ResourceType> list, String group, String version, String plural) {
    for (int i = 0; i < list.size(); i++) {
      ResourceType t = list.get(i);
      if (t.group().equals(group) && t.version().equals(version) && t.plural().equals(plural)) return i;
    }
    return -1;
  }

  private static String describe(ResourceType t) {
    return t.apiVersion() + "/" + t.plural();
  }

  private static String apiVersion(String group, String version) {
    return group.isEmpty() ? version : group + "/" + version;
  }

  private static String pathKey(String group, String version, String name) {
    return group + "/" + version + "/" + name;
  }

  /** One immutable state of the registry, with every index built up front. */
  private static final class Snapshot {
    final List<ResourceType> all;
    final Map<String, ResourceType> byPath = new HashMap<>();
    final Map<String, ResourceType> byKind = new HashMap<>();
    final Map<String, ResourceType> byStorageName = new HashMap<>();
    final Map<String, List<ResourceType>> byGroupVersion;
    final List<String> groupVersions;
    final Map<String, String> preferredVersion = new HashMap<>();

    Snapshot(List<ResourceType> types) {
      this.all = List.copyOf(types);
      Map<String, List<ResourceType>> gvs = new LinkedHashMap<>();
      for (ResourceType t : all) {
        byPath.put(pathKey(t.group(), t.version(), t.plural()), t);
        byKind.putIfAbsent(pathKey(t.group(), t.version(), t.kind()), t);
        byStorageName.putIfAbsent(t.storageName(), t);
        preferredVersion.putIfAbsent(t.group(), t.version());
        gvs.computeIfAbsent(t.apiVersion(), k -> new ArrayList<>()).add(t);
      }
      Map<String, List<ResourceType>> frozen = new LinkedHashMap<>();
      gvs.forEach((gv, list) -> frozen.put(gv, List.copyOf(list)));
      this.byGroupVersion = Collections.unmodifiableMap(frozen);
      this.groupVersions = List.copyOf(frozen.keySet());
    }
  }
}
