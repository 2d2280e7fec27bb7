package io.kopek.persistence.selector;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An immutable Kubernetes field selector: the AND of {@code field=value} / {@code field!=value} terms. Syntax,
 * backslash escaping of values, term ordering and error wording follow k8s.io/apimachinery/pkg/fields and the
 * apiserver's field-label conversion.
 */
public final class FieldSelector {

    /** One term; {@code equal} is false for {@code !=}. */
    public record Term(String field, boolean equal, String value) {

        public boolean matches(JsonNode object) {
            return valueOf(object, field).equals(value) == equal;
        }

        @Override
        public String toString() {
            return field + (equal ? "=" : "!=") + escapeValue(value);
        }
    }

    private static final Set<String> ALWAYS_SUPPORTED = Set.of("metadata.name", "metadata.namespace");
    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses {@code a=b,c==d,e!=f}. Values may be empty and may contain {@code \,}, {@code \=} and {@code \\}
     * escapes; field names are taken literally (no whitespace trimming, as upstream).
     *
     * @param supportedFields fields the resource allows besides metadata.name and metadata.namespace (may be null)
     * @throws IllegalArgumentException on bad syntax or an unsupported field, with upstream's message
     */
    public static FieldSelector parse(String selector, Set<String> supportedFields) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        Set<String> supported = supportedFields == null ? Set.of() : supportedFields;
        List<String> parts = splitTerms(selector);
        Collections.sort(parts); // upstream sorts raw terms, which fixes term order and which error is reported
        List<Term> terms = new ArrayList<>();
        for (String part : parts) {
            if (!part.isEmpty()) {
                terms.add(parseTerm(selector, part));
            }
        }
        // Upstream checks field support only once the whole selector has parsed.
        for (Term t : terms) {
            if (!ALWAYS_SUPPORTED.contains(t.field()) && !supported.contains(t.field())) {
                throw new IllegalArgumentException("field label not supported: " + t.field());
            }
        }
        return terms.isEmpty() ? EVERYTHING : new FieldSelector(terms);
    }

    /** Whether every term holds; a field missing from the object counts as the empty string. */
    public boolean matches(JsonNode object) {
        for (Term t : terms) {
            if (!t.matches(object)) {
                return false;
            }
        }
        return true;
    }

    /** The value required by the first {@code field=value} term, for narrowing lists by name or namespace. */
    public Optional<String> exactValue(String field) {
        return terms.stream().filter(t -> t.equal() && t.field().equals(field)).map(Term::value).findFirst();
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public List<Term> terms() {
        return terms;
    }

    @Override
    public String toString() {
        return terms.stream().map(Term::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector other && terms.equals(other.terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    /**
     * The text at a dotted path ({@code spec.nodeName}); scalars use their JSON text (so booleans read "true"),
     * while missing, null and non-scalar nodes read as "".
     */
    public static String valueOf(JsonNode object, String dottedPath) {
        JsonNode node = object;
        for (String segment : dottedPath.split("\\.", -1)) {
            if (node == null || !node.isObject()) {
                return "";
            }
            node = node.get(segment);
        }
        return node == null || !node.isValueNode() || node.isNull() ? "" : node.asText();
    }

    public static String escapeValue(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }

    /** Splits on commas not escaped by a backslash; escapes stay in the terms for unescaping later. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean escaped = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    /** The first operator occurrence splits the term; "!=" and "==" win over "=" at the same position. */
    private static Term parseTerm(String selector, String term) {
        for (int i = 0; i < term.length(); i++) {
            if (term.startsWith("!=", i)) {
                return new Term(term.substring(0, i), false, unescapeValue(term.substring(i + 2)));
            }
            if (term.startsWith("==", i)) {
                return new Term(term.substring(0, i), true, unescapeValue(term.substring(i + 2)));
            }
            if (term.charAt(i) == '=') {
                return new Term(term.substring(0, i), true, unescapeValue(term.substring(i + 1)));
            }
        }
        throw new IllegalArgumentException("invalid selector: '" + selector + "'; can't understand '" + term + "'");
    }

    private static String unescapeValue(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw new IllegalArgumentException("invalid field selector: invalid escape sequence: \\" + c);
                }
                out.append(c);
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',' || c == '=') {
                // Upstream prints the rune with %v, i.e. as its code point number.
                throw new IllegalArgumentException("invalid field selector: unescaped character in value: " + (int) c);
            } else {
                out.append(c);
            }
        }
        if (inSlash) {
            throw new IllegalArgumentException("invalid field selector: invalid escape sequence: \\");
        }
        return out.toString();
    }
}
