package io.kopek.persistence.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * RFC 6902 JSON Patch ({@code application/json-patch+json}). Error messages follow the wording of the
 * evanphx/json-patch library used by the Kubernetes apiserver. Array indices are strict RFC 6901 (no negative or
 * zero-padded indices).
 */
public final class JsonPatch {

    /** JSON equality for "test": numbers compare by value, so 1 equals 1.0. */
    private static final Comparator<JsonNode> JSON_EQUALITY = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private JsonPatch() {
    }

    /**
     * Applies the operations in order to a copy of {@code target} (a Java null target is JSON null). Either every
     * operation applies or a {@link PatchException} is thrown; the inputs are never modified.
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) throws PatchException {
        if (patch == null || !patch.isArray()) {
            throw new PatchException("json: cannot unmarshal " + goKind(patch) + " into Go value of type jsonpatch.Patch");
        }
        JsonNode doc = target == null ? NullNode.getInstance() : target.deepCopy();
        for (JsonNode op : patch) {
            if (!op.isObject()) {
                throw new PatchException("json: cannot unmarshal " + goKind(op) + " into Go value of type jsonpatch.Operation");
            }
            JsonNode kindNode = op.get("op");
            String kind = kindNode != null && kindNode.isTextual() ? kindNode.asText() : "unknown";
            doc = switch (kind) {
                case "add" -> add(doc, "add", pointer(op, "path", kind), value(op, kind));
                case "remove" -> remove(doc, pointer(op, "path", kind));
                case "replace" -> replace(doc, pointer(op, "path", kind), value(op, kind));
                case "move" -> move(doc, pointer(op, "from", kind), pointer(op, "path", kind));
                case "copy" -> copy(doc, pointer(op, "from", kind), pointer(op, "path", kind));
                case "test" -> test(doc, pointer(op, "path", kind), value(op, kind));
                default -> throw new PatchException("Unexpected kind: " + kind);
            };
        }
        return doc;
    }

    /** A parsed JSON pointer; {@code text} is kept for messages. */
    private record Pointer(String text, List<String> tokens) {
        boolean isRoot() {
            return tokens.isEmpty();
        }

        String last() {
            return tokens.get(tokens.size() - 1);
        }

        boolean isProperPrefixOf(Pointer other) {
            return tokens.size() < other.tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
        }
    }

    private static JsonNode add(JsonNode doc, String kind, Pointer path, JsonNode value) throws PatchException {
        if (path.isRoot()) {
            return value;
        }
        JsonNode parent = resolve(doc, path.tokens(), path.tokens().size() - 1);
        if (parent instanceof ObjectNode obj) {
            obj.set(path.last(), value);
        } else if (parent instanceof ArrayNode arr) {
            String key = path.last();
            int idx = key.equals("-") ? arr.size() : arrayIndex(key, kind, path);
            if (idx > arr.size()) {
                throw invalidIndex(kind, path, key);
            }
            arr.insert(idx, value);
        } else {
            throw missing(kind, kind.equals("add") ? "path" : "destination path", path);
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, Pointer path) throws PatchException {
        if (path.isRoot()) {
            throw new PatchException("remove operation does not apply: cannot remove the whole document");
        }
        JsonNode parent = resolve(doc, path.tokens(), path.tokens().size() - 1);
        String key = path.last();
        if (parent instanceof ObjectNode obj) {
            if (!obj.has(key)) {
                throw new PatchException("error in remove for path: '" + path.text()
                        + "': Unable to remove nonexistent key: " + key + ": missing value");
            }
            obj.remove(key);
        } else if (parent instanceof ArrayNode arr) {
            int idx = arrayIndex(key, "remove", path);
            if (idx >= arr.size()) {
                throw invalidIndex("remove", path, key);
            }
            arr.remove(idx);
        } else {
            throw missing("remove", "path", path);
        }
        return doc;
    }

    private static JsonNode replace(JsonNode doc, Pointer path, JsonNode value) throws PatchException {
        if (path.isRoot()) {
            return value;
        }
        // Unlike add, replace needs the target itself to exist (RFC 6902 section 4.3).
        if (resolve(doc, path.tokens(), path.tokens().size()) == null) {
            throw missing("replace", "path", path);
        }
        JsonNode parent = resolve(doc, path.tokens(), path.tokens().size() - 1);
        if (parent instanceof ObjectNode obj) {
            obj.set(path.last(), value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(path.last()), value);
        }
        return doc;
    }

    private static JsonNode move(JsonNode doc, Pointer from, Pointer path) throws PatchException {
        JsonNode value = resolve(doc, from.tokens(), from.tokens().size());
        if (value == null) {
            throw missing("move", "from path", from);
        }
        if (from.tokens().equals(path.tokens())) {
            return doc;
        }
        if (from.isProperPrefixOf(path)) {
            throw new PatchException("move operation does not apply: cannot move \"" + from.text()
                    + "\" into its own descendant \"" + path.text() + "\"");
        }
        return add(remove(doc, from), "move", path, value);
    }

    private static JsonNode copy(JsonNode doc, Pointer from, Pointer path) throws PatchException {
        JsonNode value = resolve(doc, from.tokens(), from.tokens().size());
        if (value == null) {
            throw missing("copy", "from path", from);
        }
        return add(doc, "copy", path, value.deepCopy());
    }

    private static JsonNode test(JsonNode doc, Pointer path, JsonNode expected) throws PatchException {
        JsonNode actual = resolve(doc, path.tokens(), path.tokens().size());
        if (actual == null || !actual.equals(JSON_EQUALITY, expected)) {
            throw new PatchException("testing value " + path.text() + " failed: test failed");
        }
        return doc;
    }

    /** Follows the first {@code depth} tokens; null when any step is absent. */
    private static JsonNode resolve(JsonNode doc, List<String> tokens, int depth) {
        JsonNode node = doc;
        for (int i = 0; i < depth && node != null; i++) {
            String token = tokens.get(i);
            if (node.isObject()) {
                node = node.get(token);
            } else if (node.isArray()) {
                int idx = parseIndex(token);
                node = idx >= 0 && idx < node.size() ? node.get(idx) : null;
            } else {
                node = null;
            }
        }
        return node;
    }

    /** RFC 6901 array index: "0" or digits without a leading zero; -1 when not one. */
    private static int parseIndex(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) < '0' || token.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(token);
    }

    private static int arrayIndex(String token, String kind, Pointer path) throws PatchException {
        int idx = parseIndex(token);
        if (idx < 0) {
            throw new PatchException("error in " + kind + " for path: '" + path.text()
                    + "': value was not a proper array index: '" + token + "'");
        }
        return idx;
    }

    private static PatchException invalidIndex(String kind, Pointer path, String token) {
        return new PatchException("error in " + kind + " for path: '" + path.text()
                + "': Unable to access invalid index: " + token + ": invalid index referenced");
    }

    private static PatchException missing(String kind, String what, Pointer path) {
        return new PatchException(kind + " operation does not apply: doc is missing " + what + ": \""
                + path.text() + "\": missing value");
    }

    private static Pointer pointer(JsonNode op, String field, String kind) throws PatchException {
        JsonNode node = op.get(field);
        if (node == null || !node.isTextual()) {
            throw new PatchException(kind + " operation failed to decode " + field + ": missing value");
        }
        String text = node.asText();
        if (text.isEmpty()) {
            return new Pointer(text, List.of());
        }
        if (text.charAt(0) != '/') {
            throw new PatchException(kind + " operation does not apply: invalid JSON pointer: \"" + text
                    + "\" (must be empty or start with '/')");
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : text.substring(1).split("/", -1)) {
            tokens.add(unescape(raw, kind, text));
        }
        return new Pointer(text, List.copyOf(tokens));
    }

    private static String unescape(String token, String kind, String pointer) throws PatchException {
        if (token.indexOf('~') < 0) {
            return token;
        }
        StringBuilder sb = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c != '~') {
                sb.append(c);
            } else if (i + 1 < token.length() && (token.charAt(i + 1) == '0' || token.charAt(i + 1) == '1')) {
                sb.append(token.charAt(++i) == '0' ? '~' : '/');
            } else {
                throw new PatchException(kind + " operation does not apply: invalid JSON pointer: \"" + pointer
                        + "\" ('~' must be followed by '0' or '1')");
            }
        }
        return sb.toString();
    }

    /** The operand, copied so the result never aliases the patch document. */
    private static JsonNode value(JsonNode op, String kind) throws PatchException {
        JsonNode node = op.get("value");
        if (node == null) {
            throw new PatchException(kind + " operation, missing value field: missing value");
        }
        return node.deepCopy();
    }

    private static String goKind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isObject()) {
            return "object";
        }
        if (node.isTextual()) {
            return "string";
        }
        if (node.isNumber()) {
            return "number";
        }
        if (node.isBoolean()) {
            return "bool";
        }
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
