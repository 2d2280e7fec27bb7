package io.kopek.persistence.selector;

import com.fasterxml.jackson.databind.JsonNode;
import io.kopek.persistence.validation.Names;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * An immutable Kubernetes label selector: the AND of its requirements. Parsing, validation, error wording and the
 * canonical string form follow k8s.io/apimachinery/pkg/labels so that clients see upstream behaviour.
 */
public final class LabelSelector {

    public enum Operator {
        EQUALS("="), DOUBLE_EQUALS("=="), NOT_EQUALS("!="), IN("in"), NOT_IN("notin"),
        EXISTS("exists"), DOES_NOT_EXIST("!"), GREATER_THAN("gt"), LESS_THAN("lt");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        /** Upstream's name for the operator, as used in error messages. */
        public String symbol() {
            return symbol;
        }
    }

    /** One clause of a selector. {@code values} keeps upstream's order: sorted/deduplicated when parsed from text. */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            Objects.requireNonNull(key);
            Objects.requireNonNull(operator);
            values = List.copyOf(values);
        }

        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            boolean present = value != null || labels.containsKey(key);
            return switch (operator) {
                case EQUALS, DOUBLE_EQUALS, IN -> present && values.contains(value);
                case NOT_EQUALS, NOT_IN -> !present || !values.contains(value);
                case EXISTS -> present;
                case DOES_NOT_EXIST -> !present;
                case GREATER_THAN, LESS_THAN -> present && compareAsIntegers(value);
            };
        }

        private boolean compareAsIntegers(String labelValue) {
            try {
                long actual = Long.parseLong(labelValue);
                long bound = Long.parseLong(values.get(0));
                return operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                return false; // upstream treats a non-numeric label as simply not matching
            }
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (operator == Operator.DOES_NOT_EXIST) {
                sb.append('!');
            }
            sb.append(key);
            switch (operator) {
                case EXISTS, DOES_NOT_EXIST -> {
                    return sb.toString();
                }
                case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> sb.append(operator.symbol());
                case GREATER_THAN -> sb.append('>');
                case LESS_THAN -> sb.append('<');
                case IN, NOT_IN -> sb.append(' ').append(operator.symbol()).append(" (");
            }
            sb.append(values.size() == 1 ? values.get(0) : String.join(",", values.stream().sorted().toList()));
            if (operator == Operator.IN || operator == Operator.NOT_IN) {
                sb.append(')');
            }
            return sb.toString();
        }
    }

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key)); // stable, so same-key clauses keep input order
        this.requirements = List.copyOf(sorted);
    }

    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses the text form ({@code a=b,c!=d,e in (f,g),h notin (i),j,!k}, plus upstream's {@code k>1}/{@code k<1}).
     * Null or blank selects everything.
     *
     * @throws IllegalArgumentException with upstream's message when the text is malformed or a key/value is invalid
     */
    public static LabelSelector parse(String selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        List<Requirement> reqs = new Parser(selector).parse();
        return reqs.isEmpty() ? EVERYTHING : new LabelSelector(reqs);
    }

    /**
     * Converts a metav1.LabelSelector ({@code matchLabels}, {@code matchExpressions}). Null, JSON null, missing and
     * {@code {}} all select everything (upstream maps a nil selector to "nothing"; callers here want "no filter").
     *
     * @throws IllegalArgumentException for unknown operators or invalid keys/values, worded like upstream
     */
    public static LabelSelector fromLabelSelectorJson(JsonNode selector) {
        if (selector == null || selector.isNull() || selector.isMissingNode()) {
            return EVERYTHING;
        }
        if (!selector.isObject()) {
            throw new IllegalArgumentException("label selector must be an object, got " + selector.getNodeType());
        }
        List<Requirement> reqs = new ArrayList<>();
        JsonNode matchLabels = selector.path("matchLabels");
        for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
            reqs.add(newRequirement(e.getKey(), Operator.EQUALS, List.of(text(e.getValue())), "key", "values"));
        }
        for (JsonNode expr : selector.path("matchExpressions")) {
            String op = text(expr.path("operator"));
            Operator operator = switch (op) {
                case "In" -> Operator.IN;
                case "NotIn" -> Operator.NOT_IN;
                case "Exists" -> Operator.EXISTS;
                case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                default -> throw new IllegalArgumentException(goQuote(op) + " is not a valid label selector operator");
            };
            List<String> values = new ArrayList<>();
            expr.path("values").forEach(v -> values.add(text(v)));
            reqs.add(newRequirement(text(expr.path("key")), operator, values, "key", "values"));
        }
        return reqs.isEmpty() ? EVERYTHING : new LabelSelector(reqs);
    }

    public boolean matches(Map<String, String> labels) {
        Map<String, String> ls = labels == null ? Map.of() : labels;
        for (Requirement r : requirements) {
            if (!r.matches(ls)) {
                return false;
            }
        }
        return true;
    }

    /** Matches against {@code metadata.labels} of an API object; an object without labels has an empty label set. */
    public boolean matches(JsonNode object) {
        if (requirements.isEmpty()) {
            return true;
        }
        Map<String, String> labels = new HashMap<>();
        if (object != null) {
            JsonNode node = object.path("metadata").path("labels");
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) {
                    labels.put(e.getKey(), e.getValue().asText());
                }
            }
        }
        return matches(labels);
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** Requirements sorted by key. */
    public List<Requirement> requirements() {
        return requirements;
    }

    /** The single value the selector requires {@code key} to have ({@code key=v}, {@code key==v}, {@code key in (v)}). */
    public Optional<String> exactValue(String key) {
        for (Requirement r : requirements) {
            if (r.key().equals(key)) {
                boolean exact = r.operator() == Operator.EQUALS || r.operator() == Operator.DOUBLE_EQUALS
                        || r.operator() == Operator.IN;
                return exact && r.values().size() == 1 ? Optional.of(r.values().get(0)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && requirements.equals(other.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "" : node.asText();
    }

    /** Upstream's NewRequirement: validates and reports every problem at once, as a field.ErrorList aggregate. */
    private static Requirement newRequirement(String key, Operator op, List<String> values, String keyPath,
                                              String valuesPath) {
        List<String> errs = new ArrayList<>();
        List<String> keyErrs = Names.isQualifiedName(key);
        if (!keyErrs.isEmpty()) {
            errs.add(invalid(keyPath, goQuote(key), String.join("; ", keyErrs)));
        }
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errs.add(invalid(valuesPath, goStrings(values), "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errs.add(invalid(valuesPath, goStrings(values), "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errs.add(invalid(valuesPath, goStrings(values), "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errs.add(invalid(valuesPath, goStrings(values), "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < values.size(); i++) {
                    try {
                        Long.parseLong(values.get(i));
                    } catch (NumberFormatException e) {
                        errs.add(invalid(valuesPath + "[" + i + "]", goQuote(values.get(i)),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> valueErrs = Names.isValidLabelValue(values.get(i));
            if (!valueErrs.isEmpty()) {
                errs.add(invalid(valuesPath + "[" + i + "][" + key + "]", goQuote(values.get(i)),
                        String.join("; ", valueErrs)));
            }
        }
        if (!errs.isEmpty()) {
            throw new IllegalArgumentException(aggregate(errs));
        }
        return new Requirement(key, op, values);
    }

    private static String invalid(String path, String quotedValue, String detail) {
        return path + ": Invalid value: " + quotedValue + ": " + detail;
    }

    /** Upstream's error aggregate: a lone error as is, several as a bracketed, de-duplicated list. */
    private static String aggregate(List<String> errs) {
        Set<String> unique = new LinkedHashSet<>(errs);
        return unique.size() == 1 ? unique.iterator().next() : "[" + String.join(", ", unique) + "]";
    }

    private static String goStrings(List<String> values) {
        if (values.isEmpty()) {
            return "[]string(nil)";
        }
        return values.stream().map(LabelSelector::goQuote).collect(Collectors.joining(", ", "[]string{", "}"));
    }

    /** Go's %q, close enough for the ASCII-ish text that appears in selectors. */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    // ---- text parser: a port of upstream's grammar, so edge cases (e.g. "x in (,a)", "in in (in)") agree ----

    private enum Tok { EOS, CLOSE_PAR, COMMA, BANG, DOUBLE_EQ, EQ, GT, IDENT, IN, LT, NOT_EQ, NOT_IN, OPEN_PAR }

    private record Item(Tok tok, String lit) {
    }

    private static final class Parser {
        private final String input;
        private final List<Item> items = new ArrayList<>();
        private int pos;

        Parser(String input) {
            this.input = input;
            lex();
        }

        private void lex() {
            int i = 0;
            int n = input.length();
            while (true) {
                while (i < n && isWhitespace(input.charAt(i))) {
                    i++;
                }
                if (i >= n) {
                    items.add(new Item(Tok.EOS, ""));
                    return;
                }
                char c = input.charAt(i);
                if (isSpecial(c)) {
                    String two = i + 1 < n ? input.substring(i, i + 2) : "";
                    if (two.equals("!=") || two.equals("==")) {
                        items.add(new Item(two.equals("!=") ? Tok.NOT_EQ : Tok.DOUBLE_EQ, two));
                        i += 2;
                    } else {
                        items.add(new Item(switch (c) {
                            case '=' -> Tok.EQ;
                            case '!' -> Tok.BANG;
                            case '(' -> Tok.OPEN_PAR;
                            case ')' -> Tok.CLOSE_PAR;
                            case ',' -> Tok.COMMA;
                            case '>' -> Tok.GT;
                            default -> Tok.LT;
                        }, String.valueOf(c)));
                        i++;
                    }
                } else {
                    int start = i;
                    while (i < n && !isSpecial(input.charAt(i)) && !isWhitespace(input.charAt(i))) {
                        i++;
                    }
                    String word = input.substring(start, i);
                    items.add(new Item(word.equals("in") ? Tok.IN : word.equals("notin") ? Tok.NOT_IN : Tok.IDENT, word));
                }
            }
        }

        private static boolean isWhitespace(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private static boolean isSpecial(char c) {
            return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
        }

        /** In value position the keywords "in"/"notin" are plain identifiers (upstream's Values context). */
        private Item peek(boolean valuesContext) {
            return asContext(items.get(pos), valuesContext);
        }

        private Item next(boolean valuesContext) {
            return asContext(items.get(pos++), valuesContext);
        }

        private static Item asContext(Item item, boolean valuesContext) {
            if (valuesContext && (item.tok() == Tok.IN || item.tok() == Tok.NOT_IN)) {
                return new Item(Tok.IDENT, item.lit());
            }
            return item;
        }

        private static IllegalArgumentException error(String msg) {
            return new IllegalArgumentException(msg);
        }

        List<Requirement> parse() {
            List<Requirement> reqs = new ArrayList<>();
            while (true) {
                Item la = peek(true);
                switch (la.tok()) {
                    case IDENT, BANG -> {
                        try {
                            reqs.add(parseRequirement());
                        } catch (IllegalArgumentException e) {
                            throw error("unable to parse requirement: " + e.getMessage());
                        }
                        Item after = next(true);
                        switch (after.tok()) {
                            case EOS -> {
                                return reqs;
                            }
                            case COMMA -> {
                                Item la2 = peek(true);
                                if (la2.tok() != Tok.IDENT && la2.tok() != Tok.BANG) {
                                    throw error("found '" + la2.lit() + "', expected: identifier after ','");
                                }
                            }
                            default -> throw error("found '" + after.lit() + "', expected: ',' or 'end of string'");
                        }
                    }
                    case EOS -> {
                        return reqs;
                    }
                    default -> throw error("found '" + la.lit() + "', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private Requirement parseRequirement() {
            Operator op = null;
            Item t = next(true);
            if (t.tok() == Tok.BANG) {
                op = Operator.DOES_NOT_EXIST;
                t = next(true);
            }
            if (t.tok() != Tok.IDENT) {
                throw error("found '" + t.lit() + "', expected: identifier");
            }
            String key = t.lit();
            List<String> keyErrs = Names.isQualifiedName(key);
            if (!keyErrs.isEmpty()) {
                throw error(invalid("<nil>", goQuote(key), String.join("; ", keyErrs)));
            }
            Tok la = peek(true).tok();
            if (op == null && (la == Tok.EOS || la == Tok.COMMA)) {
                op = Operator.EXISTS;
            }
            // Like upstream, "!key" ends the requirement even if more follows; the caller then rejects the rest.
            if (op == Operator.EXISTS || op == Operator.DOES_NOT_EXIST) {
                return newRequirement(key, op, List.of(), "key", "values");
            }
            op = parseOperator();
            List<String> values = (op == Operator.IN || op == Operator.NOT_IN) ? parseValues() : parseExactValue();
            return newRequirement(key, op, values, "key", "values");
        }

        private Operator parseOperator() {
            Item t = next(false);
            return switch (t.tok()) {
                case IN -> Operator.IN;
                case EQ -> Operator.EQUALS;
                case DOUBLE_EQ -> Operator.DOUBLE_EQUALS;
                case GT -> Operator.GREATER_THAN;
                case LT -> Operator.LESS_THAN;
                case NOT_IN -> Operator.NOT_IN;
                case NOT_EQ -> Operator.NOT_EQUALS;
                default -> throw error("found '" + t.lit() + "', expected: in, notin, =, ==, !=, gt, lt");
            };
        }

        private List<String> parseValues() {
            Item t = next(true);
            if (t.tok() != Tok.OPEN_PAR) {
                throw error("found '" + t.lit() + "' expected: '('");
            }
            Item la = peek(true);
            switch (la.tok()) {
                case IDENT, COMMA -> {
                    List<String> values = parseIdentifiersList();
                    next(true); // parseIdentifiersList only returns when ')' is next
                    return values;
                }
                case CLOSE_PAR -> {
                    next(true);
                    return List.of(""); // "()" means the empty value, not an empty set
                }
                default -> throw error("found '" + la.lit() + "', expected: ',', ')' or identifier");
            }
        }

        /** Empty slots, as in "(,a)" or "(a,,b)", stand for the empty value. */
        private List<String> parseIdentifiersList() {
            TreeSet<String> values = new TreeSet<>();
            while (true) {
                Item t = next(true);
                switch (t.tok()) {
                    case IDENT -> {
                        values.add(t.lit());
                        Item la = peek(true);
                        switch (la.tok()) {
                            case COMMA -> {
                            }
                            case CLOSE_PAR -> {
                                return new ArrayList<>(values);
                            }
                            default -> throw error("found '" + la.lit() + "', expected: ',' or ')'");
                        }
                    }
                    case COMMA -> {
                        if (values.isEmpty()) {
                            values.add("");
                        }
                        Tok la = peek(true).tok();
                        if (la == Tok.CLOSE_PAR) {
                            values.add("");
                            return new ArrayList<>(values);
                        }
                        if (la == Tok.COMMA) {
                            values.add("");
                        }
                    }
                    default -> throw error("found '" + t.lit() + "', expected: ',', or identifier");
                }
            }
        }

        private List<String> parseExactValue() {
            Tok la = peek(true).tok();
            if (la == Tok.EOS || la == Tok.COMMA) {
                return List.of("");
            }
            Item t = next(true);
            if (t.tok() == Tok.IDENT) {
                return List.of(t.lit());
            }
            throw error("found '" + t.lit() + "', expected: identifier");
        }
    }
}
