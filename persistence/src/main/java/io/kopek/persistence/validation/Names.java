package io.kopek.persistence.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Name validators mirroring k8s.io/apimachinery/pkg/util/validation. Each returns the list of
 * human-readable problems (empty when valid), worded exactly like upstream so clients that match on
 * error text keep working.
 */
public final class Names {

    public static final int DNS1123_LABEL_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int DNS1035_LABEL_MAX_LENGTH = 63;

    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";

    static final String LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    static final String LABEL_VALUE_FMT = "(" + LABEL_KEY_FMT + ")?";
    public static final int LABEL_KEY_NAME_MAX_LENGTH = 63;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;

    private static final Pattern LABEL_KEY_NAME = Pattern.compile(LABEL_KEY_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);

    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric"
            + " characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case"
            + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric"
            + " characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    private static final String LABEL_KEY_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must"
            + " start and end with an alphanumeric character";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric"
            + " characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /** Alphabet of upstream's generateName suffixes: no vowels (no accidental words) and no look-alikes. */
    private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private Names() {
    }

    public static List<String> isDns1123Subdomain(String value) {
        String v = value == null ? "" : value;
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(v).matches()) {
            errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    public static List<String> isDns1123Label(String value) {
        String v = value == null ? "" : value;
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > DNS1123_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL.matcher(v).matches()) {
            // Upstream gives a more helpful message when the only problem is dots.
            errs.add(DNS1123_SUBDOMAIN.matcher(v).matches()
                    ? "must not contain dots"
                    : regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
        }
        return errs;
    }

    public static List<String> isDns1035Label(String value) {
        String v = value == null ? "" : value;
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > DNS1035_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1035_LABEL_MAX_LENGTH));
        }
        if (!DNS1035_LABEL.matcher(v).matches()) {
            errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /**
     * A label key (upstream "qualified name"): an optional DNS-1123 subdomain prefix and '/', then a name of at most
     * 63 characters made of alphanumerics, '-', '_' and '.', starting and ending alphanumeric.
     */
    public static List<String> isQualifiedName(String value) {
        String v = value == null ? "" : value;
        List<String> errs = new ArrayList<>();
        String[] parts = v.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            name = parts[1];
            if (parts[0].isEmpty()) {
                errs.add("prefix part must be non-empty");
            } else {
                for (String e : isDns1123Subdomain(parts[0])) {
                    errs.add("prefix part " + e);
                }
            }
        } else {
            errs.add("a valid label key " + regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errs;
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (byteLength(name) > LABEL_KEY_NAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(LABEL_KEY_NAME_MAX_LENGTH));
        }
        if (!LABEL_KEY_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(LABEL_KEY_MSG, LABEL_KEY_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** A label value: empty, or at most 63 characters of alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
    public static List<String> isValidLabelValue(String value) {
        String v = value == null ? "" : value;
        List<String> errs = new ArrayList<>();
        if (byteLength(v) > LABEL_VALUE_MAX_LENGTH) {
            errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(v).matches()) {
            errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** Whether the name can be used as a single REST path segment; like upstream, empty/long names pass. */
    public static List<String> isPathSegmentName(String name) {
        String v = name == null ? "" : name;
        if (v.equals(".") || v.equals("..")) {
            return new ArrayList<>(List.of("may not be '" + v + "'"));
        }
        List<String> errs = new ArrayList<>();
        if (v.contains("/")) {
            errs.add("may not contain '/'");
        }
        if (v.contains("%")) {
            errs.add("may not contain '%'");
        }
        return errs;
    }

    /** Five random characters, as appended to metadata.generateName. */
    public static String randomSuffix() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        char[] out = new char[5];
        for (int i = 0; i < out.length; i++) {
            out[i] = SUFFIX_ALPHABET.charAt(rnd.nextInt(SUFFIX_ALPHABET.length()));
        }
        return new String(out);
    }

    public static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    /** Upstream's RegexError; note each example is followed by ", " even before " or ", hence the double space. */
    public static String regexError(String msg, String regex, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + regex + "')";
        }
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '").append(regex).append("')").toString();
    }

    /** Go measures string length in bytes, so limits do too. */
    static int byteLength(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
