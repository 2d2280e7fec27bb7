package io.kopek.persistence.resource;

import io.kopek.persistence.CborSerializable;
import java.util.List;
import java.util.Set;

/**
 * One served resource: its group/version/kind, how it is named and stored, and the per-kind rules the object
 * entity enforces. Commands carry it, so an entity never needs a registry lookup (custom resources included).
 *
 * @param group          "" for the core group
 * @param subresources   e.g. "status", "scale"
 * @param fieldSelectors field labels accepted in fieldSelector beyond metadata.name and metadata.namespace
 * @param graceful       graceful deletion as for pods (deletionGracePeriodSeconds, finalized by the node)
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    Set<String> subresources,
    NameRule nameRule,
    Set<String> fieldSelectors,
    boolean graceful,
    boolean builtin)
    implements CborSerializable {

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The resource as the store knows it: "pods", "deployments.apps", "widgets.example.com". */
  public String storageName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  /** The etcd-style key prefix, as upstream: /registry/pods, /registry/deployments, /registry/example.com/widgets. */
  public String keyPrefix() {
    return builtin ? "/registry/" + plural : "/registry/" + group + "/" + plural;
  }

  /** The name kubectl shows in messages: "pods", "deployments.apps". */
  public String qualifiedResource() {
    return storageName();
  }

  public boolean hasStatus() {
    return subresources.contains("status");
  }

  public ObjectKeyBuilder key() {
    return new ObjectKeyBuilder(this);
  }

  /** Small helper so callers write {@code type.key().of(ns, name)}. */
  public record ObjectKeyBuilder(ResourceType type) {
    public io.kopek.persistence.entity.ObjectKey of(String namespace, String name) {
      return new io.kopek.persistence.entity.ObjectKey(
          type.storageName(), type.keyPrefix(), type.namespaced() ? namespace : "", name);
    }
  }
}
