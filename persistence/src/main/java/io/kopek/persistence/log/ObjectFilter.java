package io.kopek.persistence.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.selector.FieldSelector;
import io.kopek.persistence.selector.LabelSelector;

/** Which objects a list or watch wants: a namespace ("" for all), a label selector and a field selector. */
public record ObjectFilter(String namespace, LabelSelector labels, FieldSelector fields) {

  /** @throws IllegalArgumentException with a message fit for a 400 BadRequest */
  public static ObjectFilter of(ResourceType type, String namespace, String labelSelector, String fieldSelector) {
    return new ObjectFilter(namespace == null ? "" : namespace, LabelSelector.parse(labelSelector),
        FieldSelector.parse(fieldSelector, type.fieldSelectors()));
  }

  public boolean matches(ObjectNode obj) {
    if (obj == null) return false;
    if (!namespace.isEmpty() && !namespace.equals(Json.namespace(obj))) return false;
    return labels.matches(obj) && fields.matches(obj);
  }

  public boolean selectsAll() {
    return labels.isEmpty() && fields.isEmpty();
  }
}
