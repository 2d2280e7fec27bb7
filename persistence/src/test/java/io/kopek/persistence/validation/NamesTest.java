package io.kopek.persistence.validation;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamesTest {

    private static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
            + " characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
            + " regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric"
            + " characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or"
            + " '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private static final String DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters"
            + " or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', "
            + " or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    // ---- DNS-1123 subdomain ----

    @ParameterizedTest
    @ValueSource(strings = {"a", "ab", "a-b", "0", "example.com", "a.b.c", "1.2.3.4", "kube-system", "a--b"})
    void validSubdomainsPass(String name) {
        assertEquals(List.of(), Names.isDns1123Subdomain(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "A", "-a", "a-", ".a", "a.", "a..b", "a_b", "a b", "ä", "a/b", "a.-b"})
    void invalidSubdomainsReportUpstreamMessage(String name) {
        assertEquals(List.of(SUBDOMAIN_MSG), Names.isDns1123Subdomain(name));
    }

    @Test
    void subdomainLongerThan253IsRejected() {
        String ok = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61); // 253
        assertEquals(253, ok.length());
        assertEquals(List.of(), Names.isDns1123Subdomain(ok));
        assertEquals(List.of("must be no more than 253 characters"), Names.isDns1123Subdomain(ok + "a"));
    }

    @Test
    void subdomainCanReportLengthAndFormatTogether() {
        assertEquals(List.of("must be no more than 253 characters", SUBDOMAIN_MSG),
                Names.isDns1123Subdomain("A".repeat(254)));
    }

    // ---- DNS-1123 label ----

    @ParameterizedTest
    @ValueSource(strings = {"a", "my-name", "123-abc", "0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void validLabelsPass(String name) {
        assertEquals(List.of(), Names.isDns1123Label(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-a", "a-", "A", "a_b", "a/b"})
    void invalidLabelsReportUpstreamMessage(String name) {
        assertEquals(List.of(LABEL_MSG), Names.isDns1123Label(name));
    }

    @Test
    void labelWithDotsGetsSpecificMessage() {
        assertEquals(List.of("must not contain dots"), Names.isDns1123Label("a.b"));
    }

    @Test
    void labelLongerThan63IsRejected() {
        assertEquals(List.of("must be no more than 63 characters"), Names.isDns1123Label("a".repeat(64)));
    }

    // ---- DNS-1035 label ----

    @ParameterizedTest
    @ValueSource(strings = {"a", "my-name", "abc-123", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void validDns1035LabelsPass(String name) {
        assertEquals(List.of(), Names.isDns1035Label(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1abc", "-a", "a-", "A", "a.b", "a_b"})
    void invalidDns1035LabelsReportUpstreamMessage(String name) {
        assertEquals(List.of(DNS1035_MSG), Names.isDns1035Label(name));
    }

    @Test
    void dns1035LabelLongerThan63IsRejected() {
        assertEquals(List.of("must be no more than 63 characters"), Names.isDns1035Label("a".repeat(64)));
    }

    // ---- path segment ----

    @ParameterizedTest
    @ValueSource(strings = {"a", "...", "a.b", "", "UPPER_case:ok", "..a"})
    void safePathSegmentsPass(String name) {
        assertEquals(List.of(), Names.isPathSegmentName(name));
    }

    @Test
    void dotNamesAreRejected() {
        assertEquals(List.of("may not be '.'"), Names.isPathSegmentName("."));
        assertEquals(List.of("may not be '..'"), Names.isPathSegmentName(".."));
    }

    @Test
    void slashAndPercentAreRejected() {
        assertEquals(List.of("may not contain '/'"), Names.isPathSegmentName("a/b"));
        assertEquals(List.of("may not contain '%'"), Names.isPathSegmentName("a%2F"));
        assertEquals(List.of("may not contain '/'", "may not contain '%'"), Names.isPathSegmentName("/%"));
    }

    // ---- label keys and values ----

    @ParameterizedTest
    @ValueSource(strings = {"a", "A", "app", "my.name", "123-abc", "My_Name", "example.com/MyName",
            "app.kubernetes.io/name"})
    void validQualifiedNamesPass(String name) {
        assertEquals(List.of(), Names.isQualifiedName(name));
    }

    @Test
    void qualifiedNameReportsEachPart() {
        assertEquals(List.of("prefix part must be non-empty"), Names.isQualifiedName("/a"));
        List<String> errs = Names.isQualifiedName("a/");
        assertEquals("name part must be non-empty", errs.get(0));
        assertTrue(errs.get(1).startsWith("name part must consist of alphanumeric characters"));
        assertEquals(List.of("name part must be no more than 63 characters"), Names.isQualifiedName("a".repeat(64)));
        assertTrue(Names.isQualifiedName("A.com/b").get(0).startsWith("prefix part a lowercase RFC 1123 subdomain"));
        assertTrue(Names.isQualifiedName("a/b/c").get(0).startsWith("a valid label key must consist of"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a", "MyValue", "my_value", "12345", "a.b-c_d"})
    void validLabelValuesPass(String value) {
        assertEquals(List.of(), Names.isValidLabelValue(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "a-", "a b", "a/b", "_"})
    void invalidLabelValuesAreRejected(String value) {
        List<String> errs = Names.isValidLabelValue(value);
        assertEquals(1, errs.size());
        assertTrue(errs.get(0).startsWith("a valid label must be an empty string or consist of"));
    }

    @Test
    void labelValueLongerThan63IsRejected() {
        assertEquals(List.of("must be no more than 63 characters"), Names.isValidLabelValue("v".repeat(64)));
    }

    // ---- generateName suffix ----

    @RepeatedTest(20)
    void randomSuffixIsFiveCharactersFromUpstreamAlphabet() {
        String s = Names.randomSuffix();
        assertTrue(s.matches("[bcdfghjklmnpqrstvwxz2456789]{5}"), s);
    }

    @Test
    void randomSuffixVaries() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(Names.randomSuffix());
        }
        assertTrue(seen.size() > 90, "suffixes should rarely collide: " + seen.size());
    }

    @Test
    void generatedSuffixKeepsNamesValid() {
        assertEquals(List.of(), Names.isDns1123Subdomain("web-" + Names.randomSuffix()));
    }
}
