package io.kopek.persistence.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSelectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String parseError(String selector) {
        return assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(selector)).getMessage();
    }

    // ---- empty selectors ----

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n "})
    void blankSelectorMatchesEverything(String selector) {
        LabelSelector s = LabelSelector.parse(selector);
        assertTrue(s.isEmpty());
        assertTrue(s.matches(Map.of()));
        assertTrue(s.matches(Map.of("a", "b")));
        assertEquals("", s.toString());
    }

    @Test
    void nullSelectorMatchesEverything() {
        assertTrue(LabelSelector.parse(null).isEmpty());
        assertTrue(LabelSelector.parse(null).matches(Map.of("x", "y")));
    }

    // ---- operators ----

    @Test
    void equalityRequiresKeyWithThatValue() {
        LabelSelector s = LabelSelector.parse("app=web");
        assertTrue(s.matches(Map.of("app", "web", "tier", "fe")));
        assertFalse(s.matches(Map.of("app", "db")));
        assertFalse(s.matches(Map.of()));
        assertFalse(s.isEmpty());
    }

    @Test
    void doubleEqualsBehavesLikeEquals() {
        LabelSelector s = LabelSelector.parse("app==web");
        assertTrue(s.matches(Map.of("app", "web")));
        assertFalse(s.matches(Map.of("app", "db")));
        assertEquals("app==web", s.toString());
    }

    @Test
    void notEqualsMatchesOtherValuesAndMissingKey() {
        LabelSelector s = LabelSelector.parse("app!=web");
        assertFalse(s.matches(Map.of("app", "web")));
        assertTrue(s.matches(Map.of("app", "db")));
        assertTrue(s.matches(Map.of()));
    }

    @Test
    void inRequirementMatchesAnyListedValue() {
        LabelSelector s = LabelSelector.parse("env in (prod, staging)");
        assertTrue(s.matches(Map.of("env", "prod")));
        assertTrue(s.matches(Map.of("env", "staging")));
        assertFalse(s.matches(Map.of("env", "dev")));
        assertFalse(s.matches(Map.of()));
    }

    @Test
    void notInRequirementMatchesUnlistedValuesAndMissingKey() {
        LabelSelector s = LabelSelector.parse("env notin (prod,staging)");
        assertFalse(s.matches(Map.of("env", "prod")));
        assertTrue(s.matches(Map.of("env", "dev")));
        assertTrue(s.matches(Map.of()));
    }

    @Test
    void bareKeyRequiresExistence() {
        LabelSelector s = LabelSelector.parse("app");
        assertTrue(s.matches(Map.of("app", "")));
        assertTrue(s.matches(Map.of("app", "x")));
        assertFalse(s.matches(Map.of("other", "x")));
    }

    @Test
    void bangKeyRequiresAbsence() {
        LabelSelector s = LabelSelector.parse("!app");
        assertFalse(s.matches(Map.of("app", "")));
        assertTrue(s.matches(Map.of("other", "x")));
        assertEquals("!app", s.toString());
    }

    @Test
    void greaterAndLessThanCompareIntegers() {
        LabelSelector gt = LabelSelector.parse("replicas>3");
        assertTrue(gt.matches(Map.of("replicas", "4")));
        assertFalse(gt.matches(Map.of("replicas", "3")));
        assertFalse(gt.matches(Map.of("replicas", "many")));
        assertFalse(gt.matches(Map.of()));
        LabelSelector lt = LabelSelector.parse("replicas<3");
        assertTrue(lt.matches(Map.of("replicas", "-1")));
        assertFalse(lt.matches(Map.of("replicas", "3")));
        assertEquals("replicas<3", lt.toString());
    }

    @Test
    void requirementsAreAndedTogether() {
        LabelSelector s = LabelSelector.parse("app=web,env in (prod),!canary,tier");
        assertTrue(s.matches(Map.of("app", "web", "env", "prod", "tier", "fe")));
        assertFalse(s.matches(Map.of("app", "web", "env", "prod", "tier", "fe", "canary", "true")));
        assertFalse(s.matches(Map.of("app", "web", "env", "prod")));
    }

    @Test
    void emptyValueAfterEqualsMeansEmptyString() {
        LabelSelector s = LabelSelector.parse("app=,b=c");
        assertTrue(s.matches(Map.of("app", "", "b", "c")));
        assertFalse(s.matches(Map.of("app", "x", "b", "c")));
        assertFalse(s.matches(Map.of("b", "c")));
    }

    @Test
    void emptySlotsInValueSetMeanEmptyString() {
        assertEquals(List.of(""), LabelSelector.parse("x in ()").requirements().get(0).values());
        assertEquals(List.of("", "a"), LabelSelector.parse("x in (,a)").requirements().get(0).values());
        assertEquals(List.of("", "a", "b"), LabelSelector.parse("x in (a,,b)").requirements().get(0).values());
        assertEquals(List.of("", "a"), LabelSelector.parse("x in (a,)").requirements().get(0).values());
        assertTrue(LabelSelector.parse("x in ()").matches(Map.of("x", "")));
    }

    @Test
    void keywordsAreOrdinaryIdentifiersInKeyAndValuePositions() {
        LabelSelector s = LabelSelector.parse("in in (in, notin)");
        assertTrue(s.matches(Map.of("in", "notin")));
        assertTrue(LabelSelector.parse("notin=in").matches(Map.of("notin", "in")));
    }

    // ---- whitespace and canonical form ----

    @Test
    void whitespaceAroundTokensIsIgnored() {
        LabelSelector s = LabelSelector.parse("  app = web ,\tenv  notin(a ,b ) , ! x  ");
        assertEquals("app=web,env notin (a,b),!x", s.toString());
    }

    @Test
    void canonicalFormSortsRequirementsByKeyAndValuesAlphabetically() {
        assertEquals("a=1,b in (x,y,z),c", LabelSelector.parse("c,b in (z,x,y,x),a=1").toString());
    }

    @Test
    void canonicalFormRoundTrips() {
        String canonical = LabelSelector.parse("z notin (b,a), y, !x, w!=v, u==t, s>1, r<2").toString();
        assertEquals("r<2,s>1,u==t,w!=v,!x,y,z notin (a,b)", canonical);
        assertEquals(canonical, LabelSelector.parse(canonical).toString());
        assertEquals(LabelSelector.parse(canonical), LabelSelector.parse("z notin (b,a), y, !x, w!=v, u==t, s>1, r<2"));
    }

    @Test
    void prefixedKeysAreAccepted() {
        LabelSelector s = LabelSelector.parse("app.kubernetes.io/name=nginx");
        assertTrue(s.matches(Map.of("app.kubernetes.io/name", "nginx")));
    }

    // ---- exact values ----

    @Test
    void exactValueReportsSingleValueEqualityAndIn() {
        LabelSelector s = LabelSelector.parse("a=1,b in (2),c in (3,4),d!=5");
        assertEquals(Optional.of("1"), s.exactValue("a"));
        assertEquals(Optional.of("2"), s.exactValue("b"));
        assertEquals(Optional.empty(), s.exactValue("c"));
        assertEquals(Optional.empty(), s.exactValue("d"));
        assertEquals(Optional.empty(), s.exactValue("zzz"));
    }

    // ---- matching JSON objects ----

    @Test
    void matchesReadsMetadataLabelsOfObject() {
        LabelSelector s = LabelSelector.parse("app=web");
        assertTrue(s.matches(json("{'metadata':{'name':'p','labels':{'app':'web'}}}")));
        assertFalse(s.matches(json("{'metadata':{'name':'p','labels':{'app':'db'}}}")));
    }

    @Test
    void objectWithoutLabelsHasEmptyLabelSet() {
        assertTrue(LabelSelector.parse("!app").matches(json("{'metadata':{'name':'p'}}")));
        assertTrue(LabelSelector.parse("app!=x").matches(json("{}")));
        assertFalse(LabelSelector.parse("app").matches(json("{'metadata':{'labels':null}}")));
        assertTrue(LabelSelector.parse("").matches((JsonNode) null));
    }

    // ---- syntax errors ----

    @Test
    void trailingCommaIsRejected() {
        assertEquals("found '', expected: identifier after ','", parseError("a=b,"));
    }

    @Test
    void leadingOperatorIsRejected() {
        assertEquals("found '=', expected: !, identifier, or 'end of string'", parseError("=b"));
        assertEquals("found ',', expected: !, identifier, or 'end of string'", parseError(",a"));
    }

    @Test
    void missingSeparatorBetweenRequirementsIsRejected() {
        assertEquals("found 'c', expected: ',' or 'end of string'", parseError("a=b c=d"));
    }

    @Test
    void unknownOperatorIsRejected() {
        assertEquals("unable to parse requirement: found 'x', expected: in, notin, =, ==, !=, gt, lt",
                parseError("a x (b)"));
    }

    @Test
    void setOperatorWithoutParenthesisIsRejected() {
        assertEquals("unable to parse requirement: found 'b' expected: '('", parseError("a in b"));
    }

    @Test
    void unterminatedValueSetIsRejected() {
        assertEquals("unable to parse requirement: found '', expected: ',' or ')'", parseError("a in (b"));
        assertEquals("unable to parse requirement: found '', expected: ',', ')' or identifier", parseError("a in ("));
    }

    @Test
    void valueSetWithOperatorInsideIsRejected() {
        assertEquals("unable to parse requirement: found '=', expected: ',' or ')'", parseError("a in (b=c)"));
    }

    @Test
    void bangWithoutKeyIsRejected() {
        assertEquals("unable to parse requirement: found '', expected: identifier", parseError("!"));
    }

    @Test
    void doesNotExistCannotTakeAValue() {
        assertEquals("found '=', expected: ',' or 'end of string'", parseError("!a=b"));
    }

    @Test
    void exactMatchValueMustBeIdentifier() {
        assertEquals("unable to parse requirement: found '(', expected: identifier", parseError("a=(b)"));
    }

    // ---- validation errors ----

    @Test
    void invalidKeyIsRejectedWithUpstreamWording() {
        assertEquals("unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of"
                + " alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
                + " (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is"
                + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')", parseError("-a=b"));
    }

    @Test
    void keyNameLongerThan63CharactersIsRejected() {
        String msg = parseError("a".repeat(64) + "=b");
        assertTrue(msg.contains("name part must be no more than 63 characters"), msg);
        LabelSelector.parse("a".repeat(63) + "=b");
    }

    @Test
    void keyPrefixMustBeDnsSubdomain() {
        String msg = parseError("Example.COM/a=b");
        assertTrue(msg.contains("prefix part a lowercase RFC 1123 subdomain must consist of"), msg);
        assertTrue(parseError("/a=b").contains("prefix part must be non-empty"));
        assertTrue(parseError("a/b/c=d").contains("a valid label key must consist of"));
    }

    @Test
    void invalidValueIsRejectedWithItsPath() {
        assertEquals("unable to parse requirement: values[0][a]: Invalid value: \"b/c\": a valid label must be an"
                + " empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with"
                + " an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for"
                + " validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')", parseError("a=b/c"));
    }

    @Test
    void valueLongerThan63CharactersIsRejected() {
        assertTrue(parseError("a=" + "v".repeat(64)).contains("must be no more than 63 characters"));
        LabelSelector.parse("a=" + "v".repeat(63));
    }

    @Test
    void severalInvalidValuesAreReportedTogether() {
        String msg = parseError("a in (-x,-y)");
        assertTrue(msg.startsWith("unable to parse requirement: [values[0][a]: Invalid value: \"-x\""), msg);
        assertTrue(msg.contains(", values[1][a]: Invalid value: \"-y\""), msg);
    }

    @Test
    void comparisonValueMustBeInteger() {
        assertEquals("unable to parse requirement: values[0]: Invalid value: \"x\": for 'Gt', 'Lt' operators,"
                + " the value must be an integer", parseError("a>x"));
    }

    // ---- structured metav1.LabelSelector ----

    @Test
    void structuredSelectorCombinesMatchLabelsAndExpressions() {
        LabelSelector s = LabelSelector.fromLabelSelectorJson(json("{'matchLabels':{'app':'web'},"
                + "'matchExpressions':[{'key':'env','operator':'In','values':['prod','qa']},"
                + "{'key':'tier','operator':'NotIn','values':['db']},"
                + "{'key':'team','operator':'Exists'},{'key':'canary','operator':'DoesNotExist','values':[]}]}"));
        assertEquals("app=web,!canary,env in (prod,qa),team,tier notin (db)", s.toString());
        assertTrue(s.matches(Map.of("app", "web", "env", "qa", "team", "a")));
        assertFalse(s.matches(Map.of("app", "web", "env", "qa", "team", "a", "tier", "db")));
        assertFalse(s.matches(Map.of("app", "web", "env", "dev", "team", "a")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "null", "{'matchLabels':{},'matchExpressions':[]}"})
    void emptyOrNullStructuredSelectorMatchesEverything(String selectorJson) {
        LabelSelector s = LabelSelector.fromLabelSelectorJson(json(selectorJson));
        assertTrue(s.isEmpty());
        assertTrue(s.matches(Map.of("a", "b")));
    }

    @Test
    void missingStructuredSelectorMatchesEverything() {
        assertSame(LabelSelector.everything(), LabelSelector.fromLabelSelectorJson(null));
        assertTrue(LabelSelector.fromLabelSelectorJson(json("{}").path("selector")).isEmpty());
    }

    @Test
    void structuredSelectorRejectsUnknownOperator() {
        var e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.fromLabelSelectorJson(
                json("{'matchExpressions':[{'key':'a','operator':'Gt','values':['1']}]}")));
        assertEquals("\"Gt\" is not a valid label selector operator", e.getMessage());
    }

    @Test
    void structuredInRequiresValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.fromLabelSelectorJson(
                json("{'matchExpressions':[{'key':'a','operator':'In','values':[]}]}")));
        assertEquals("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
                e.getMessage());
    }

    @Test
    void structuredExistsRejectsValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.fromLabelSelectorJson(
                json("{'matchExpressions':[{'key':'a','operator':'Exists','values':['x']}]}")));
        assertEquals("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist",
                e.getMessage());
    }

    @Test
    void structuredSelectorValidatesKeysAndValues() {
        var key = assertThrows(IllegalArgumentException.class, () -> LabelSelector.fromLabelSelectorJson(
                json("{'matchLabels':{'bad key':'x'}}")));
        assertTrue(key.getMessage().startsWith("key: Invalid value: \"bad key\": name part must consist of"),
                key.getMessage());
        var value = assertThrows(IllegalArgumentException.class, () -> LabelSelector.fromLabelSelectorJson(
                json("{'matchLabels':{'a':'bad value'}}")));
        assertTrue(value.getMessage().startsWith("values[0][a]: Invalid value: \"bad value\""), value.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a=b          | a=b",
            "a in (b)     | a in (b)",
            "a notin (b)  | a notin (b)",
            "!a           | !a",
            "a            | a",
    })
    void simpleRequirementsPrintAsWritten(String text, String canonical) {
        assertEquals(canonical, LabelSelector.parse(text).toString());
    }
}
