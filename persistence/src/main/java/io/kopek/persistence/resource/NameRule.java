package io.kopek.persistence.resource;

/** How Kubernetes validates the metadata.name of a kind. */
public enum NameRule {
  /** DNS-1123 subdomain: most kinds (pods, deployments, configmaps, ...). */
  DNS1123_SUBDOMAIN,
  /** DNS-1123 label: namespaces and a few others. */
  DNS1123_LABEL,
  /** DNS-1035 label: services (must start with a letter). */
  DNS1035_LABEL,
  /** Any path segment: RBAC roles and bindings (no "/", "%", and not "." or ".."). */
  PATH_SEGMENT
}
