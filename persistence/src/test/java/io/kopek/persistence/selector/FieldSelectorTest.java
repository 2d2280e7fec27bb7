package io.kopek.persistence.selector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldSelectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> POD_FIELDS = Set.of("spec.nodeName", "status.phase", "spec.restartPolicy",
            "spec.hostNetwork");

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final JsonNode POD = json("{'metadata':{'name':'web-1','namespace':'prod'},"
            + "'spec':{'nodeName':'node-a','restartPolicy':'Always','hostNetwork':true},"
            + "'status':{'phase':'Running'}}");
    private static final JsonNode PENDING_POD = json("{'metadata':{'name':'web-2','namespace':'prod'},"
            + "'spec':{},'status':{'phase':'Pending'}}");

    private static String parseError(String selector) {
        return assertThrows(IllegalArgumentException.class, () -> FieldSelector.parse(selector, POD_FIELDS))
                .getMessage();
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptySelectorMatchesEverything(String selector) {
        FieldSelector s = FieldSelector.parse(selector, POD_FIELDS);
        assertTrue(s.isEmpty());
        assertTrue(s.matches(POD));
        assertEquals("", s.toString());
    }

    @Test
    void equalityMatchesFieldText() {
        FieldSelector s = FieldSelector.parse("status.phase=Running", POD_FIELDS);
        assertFalse(s.isEmpty());
        assertTrue(s.matches(POD));
        assertFalse(s.matches(PENDING_POD));
    }

    @Test
    void doubleEqualsBehavesLikeEquals() {
        assertTrue(FieldSelector.parse("metadata.name==web-1", null).matches(POD));
        assertEquals("metadata.name=web-1", FieldSelector.parse("metadata.name==web-1", null).toString());
    }

    @Test
    void notEqualsExcludesFieldText() {
        FieldSelector s = FieldSelector.parse("status.phase!=Running", POD_FIELDS);
        assertFalse(s.matches(POD));
        assertTrue(s.matches(PENDING_POD));
    }

    @Test
    void missingFieldHasEmptyValueSoEmptyEqualityFindsUnscheduledPods() {
        FieldSelector unscheduled = FieldSelector.parse("spec.nodeName=", POD_FIELDS);
        assertTrue(unscheduled.matches(PENDING_POD));
        assertFalse(unscheduled.matches(POD));
        FieldSelector scheduled = FieldSelector.parse("spec.nodeName!=", POD_FIELDS);
        assertTrue(scheduled.matches(POD));
        assertFalse(scheduled.matches(PENDING_POD));
    }

    @Test
    void nonStringScalarsCompareByTheirJsonText() {
        assertTrue(FieldSelector.parse("spec.hostNetwork=true", POD_FIELDS).matches(POD));
        assertTrue(FieldSelector.parse("spec.hostNetwork=false", POD_FIELDS).matches(
                json("{'spec':{'hostNetwork':false}}")));
    }

    @Test
    void nullAndObjectFieldsReadAsEmpty() {
        assertEquals("", FieldSelector.valueOf(json("{'spec':{'nodeName':null}}"), "spec.nodeName"));
        assertEquals("", FieldSelector.valueOf(POD, "spec"));
        assertEquals("", FieldSelector.valueOf(POD, "spec.nodeName.deeper"));
        assertEquals("", FieldSelector.valueOf(null, "spec.nodeName"));
        assertEquals("node-a", FieldSelector.valueOf(POD, "spec.nodeName"));
    }

    @Test
    void termsAreAndedTogether() {
        FieldSelector s = FieldSelector.parse("metadata.namespace=prod,status.phase=Running", POD_FIELDS);
        assertTrue(s.matches(POD));
        assertFalse(s.matches(PENDING_POD));
    }

    @Test
    void emptyTermsBetweenCommasAreIgnored() {
        FieldSelector s = FieldSelector.parse(",metadata.name=web-1,,", null);
        assertEquals(1, s.terms().size());
        assertTrue(s.matches(POD));
    }

    @Test
    void nameAndNamespaceAreAlwaysSupported() {
        FieldSelector s = FieldSelector.parse("metadata.name=web-1,metadata.namespace=prod", Set.of());
        assertTrue(s.matches(POD));
    }

    @Test
    void unsupportedFieldIsRejectedWithUpstreamMessage() {
        assertEquals("field label not supported: spec.schedulerName", parseError("spec.schedulerName=x"));
        assertEquals("field label not supported: status.phase",
                assertThrows(IllegalArgumentException.class,
                        () -> FieldSelector.parse("status.phase=Running", null)).getMessage());
    }

    @Test
    void fieldNamesAreNotTrimmed() {
        assertEquals("field label not supported: metadata.name ", parseError("metadata.name =x"));
    }

    @Test
    void emptyFieldNameIsUnsupported() {
        assertEquals("field label not supported: ", parseError("=x"));
    }

    @Test
    void termWithoutOperatorIsRejected() {
        assertEquals("invalid selector: 'metadata.name=a,foo'; can't understand 'foo'",
                parseError("metadata.name=a,foo"));
    }

    @Test
    void syntaxErrorsAreReportedBeforeUnsupportedFields() {
        assertEquals("invalid selector: 'zzz=1,bad'; can't understand 'bad'", parseError("zzz=1,bad"));
    }

    @Test
    void escapedSpecialCharactersAreAllowedInValues() {
        FieldSelector s = FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d", null);
        assertEquals(Optional.of("a,b=c\\d"), s.exactValue("metadata.name"));
        assertEquals("metadata.name=a\\,b\\=c\\\\d", s.toString());
    }

    @Test
    void unescapedEqualsInValueIsRejected() {
        assertEquals("invalid field selector: unescaped character in value: 61", parseError("metadata.name=a=b"));
    }

    @Test
    void unknownEscapeSequenceIsRejected() {
        assertEquals("invalid field selector: invalid escape sequence: \\n", parseError("metadata.name=a\\n"));
        assertEquals("invalid field selector: invalid escape sequence: \\", parseError("metadata.name=a\\"));
    }

    @Test
    void firstOperatorSplitsTheTerm() {
        FieldSelector s = FieldSelector.parse("metadata.name!=a", null);
        assertEquals(1, s.terms().size());
        assertFalse(s.terms().get(0).equal());
        assertEquals("a", s.terms().get(0).value());
    }

    @Test
    void exactValueReturnsEqualityTermsOnly() {
        FieldSelector s = FieldSelector.parse("metadata.name=web-1,metadata.namespace!=kube-system", null);
        assertEquals(Optional.of("web-1"), s.exactValue("metadata.name"));
        assertEquals(Optional.empty(), s.exactValue("metadata.namespace"));
        assertEquals(Optional.empty(), s.exactValue("spec.nodeName"));
        assertEquals(Optional.of(""), FieldSelector.parse("spec.nodeName=", POD_FIELDS).exactValue("spec.nodeName"));
    }

    @Test
    void canonicalFormSortsTerms() {
        FieldSelector s = FieldSelector.parse("status.phase=Running,metadata.name=x", POD_FIELDS);
        assertEquals("metadata.name=x,status.phase=Running", s.toString());
        assertEquals(s, FieldSelector.parse(s.toString(), POD_FIELDS));
    }

    @Test
    void matchesEventInvolvedObjectFields() {
        JsonNode event = json("{'involvedObject':{'kind':'Pod','name':'web-1'},'reason':'Scheduled'}");
        FieldSelector s = FieldSelector.parse("involvedObject.kind=Pod,involvedObject.name=web-1",
                Set.of("involvedObject.kind", "involvedObject.name"));
        assertTrue(s.matches(event));
    }
}
