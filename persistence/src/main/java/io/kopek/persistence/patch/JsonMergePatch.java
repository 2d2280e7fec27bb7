package io.kopek.persistence.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** RFC 7386 JSON Merge Patch ({@code application/merge-patch+json}). */
public final class JsonMergePatch {

    private JsonMergePatch() {
    }

    /**
     * Applies {@code patch} to {@code target} and returns the result; neither input is modified and the result
     * shares no nodes with them. A Java null stands for JSON null (so a null patch yields JSON null, and a null
     * target is treated as absent).
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || !patch.isObject()) {
            return patch == null ? NullNode.getInstance() : patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        mergeInto(result, (ObjectNode) patch);
        return result;
    }

    private static void mergeInto(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject()) {
                JsonNode existing = target.get(name);
                // A non-object member is replaced wholesale, and nulls inside the patch object still mean "absent".
                ObjectNode child = existing != null && existing.isObject()
                        ? (ObjectNode) existing
                        : JsonNodeFactory.instance.objectNode();
                mergeInto(child, (ObjectNode) value);
                target.set(name, child);
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }
}
