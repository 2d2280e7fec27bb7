package io.kopek.persistence.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonPatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode apply(String target, String patch) throws PatchException {
        return JsonPatch.apply(json(target), json(patch));
    }

    private static String error(String target, String patch) {
        return assertThrows(PatchException.class, () -> apply(target, patch)).getMessage();
    }

    // ---- add ----

    @Test
    void addCreatesObjectMember() throws Exception {
        assertEquals(json("{'a':1,'b':2}"), apply("{'a':1}", "[{'op':'add','path':'/b','value':2}]"));
    }

    @Test
    void addReplacesExistingObjectMember() throws Exception {
        assertEquals(json("{'a':[9]}"), apply("{'a':1}", "[{'op':'add','path':'/a','value':[9]}]"));
    }

    @Test
    void addInsertsIntoArrayShiftingLaterElements() throws Exception {
        assertEquals(json("{'a':[1,9,2]}"), apply("{'a':[1,2]}", "[{'op':'add','path':'/a/1','value':9}]"));
        assertEquals(json("{'a':[1,2,9]}"), apply("{'a':[1,2]}", "[{'op':'add','path':'/a/2','value':9}]"));
    }

    @Test
    void addWithDashAppendsToArray() throws Exception {
        assertEquals(json("{'a':[1,2,{'x':1}]}"), apply("{'a':[1,2]}", "[{'op':'add','path':'/a/-','value':{'x':1}}]"));
    }

    @Test
    void addAtRootReplacesDocument() throws Exception {
        assertEquals(json("[1]"), apply("{'a':1}", "[{'op':'add','path':'','value':[1]}]"));
    }

    @Test
    void addNullValueIsAllowed() throws Exception {
        assertEquals(json("{'a':null}"), apply("{}", "[{'op':'add','path':'/a','value':null}]"));
    }

    @Test
    void addBeyondArrayEndIsRejected() {
        assertEquals("error in add for path: '/a/3': Unable to access invalid index: 3: invalid index referenced",
                error("{'a':[1,2]}", "[{'op':'add','path':'/a/3','value':9}]"));
    }

    @Test
    void addWithNonNumericArrayIndexIsRejected() {
        assertEquals("error in add for path: '/a/x': value was not a proper array index: 'x'",
                error("{'a':[1]}", "[{'op':'add','path':'/a/x','value':9}]"));
        assertEquals("error in add for path: '/a/-1': value was not a proper array index: '-1'",
                error("{'a':[1]}", "[{'op':'add','path':'/a/-1','value':9}]"));
        assertEquals("error in add for path: '/a/01': value was not a proper array index: '01'",
                error("{'a':[1]}", "[{'op':'add','path':'/a/01','value':9}]"));
    }

    @Test
    void addUnderMissingParentIsRejected() {
        assertEquals("add operation does not apply: doc is missing path: \"/spec/foo/bar\": missing value",
                error("{'spec':{}}", "[{'op':'add','path':'/spec/foo/bar','value':1}]"));
    }

    @Test
    void addUnderScalarIsRejected() {
        assertEquals("add operation does not apply: doc is missing path: \"/a/b\": missing value",
                error("{'a':1}", "[{'op':'add','path':'/a/b','value':1}]"));
    }

    @Test
    void addWithoutValueIsRejected() {
        assertEquals("add operation, missing value field: missing value",
                error("{}", "[{'op':'add','path':'/a'}]"));
    }

    // ---- remove ----

    @Test
    void removeDeletesObjectMember() throws Exception {
        assertEquals(json("{'b':2}"), apply("{'a':1,'b':2}", "[{'op':'remove','path':'/a'}]"));
    }

    @Test
    void removeDeletesArrayElementShiftingLaterElements() throws Exception {
        assertEquals(json("[1,3]"), apply("[1,2,3]", "[{'op':'remove','path':'/1'}]"));
    }

    @Test
    void removeMissingMemberIsRejected() {
        assertEquals("error in remove for path: '/b': Unable to remove nonexistent key: b: missing value",
                error("{'a':1}", "[{'op':'remove','path':'/b'}]"));
    }

    @Test
    void removeOutOfRangeIndexIsRejected() {
        assertEquals("error in remove for path: '/a/2': Unable to access invalid index: 2: invalid index referenced",
                error("{'a':[1,2]}", "[{'op':'remove','path':'/a/2'}]"));
    }

    @Test
    void removeDashIsRejected() {
        assertEquals("error in remove for path: '/a/-': value was not a proper array index: '-'",
                error("{'a':[1,2]}", "[{'op':'remove','path':'/a/-'}]"));
    }

    @Test
    void removeUnderMissingParentIsRejected() {
        assertEquals("remove operation does not apply: doc is missing path: \"/x/y\": missing value",
                error("{}", "[{'op':'remove','path':'/x/y'}]"));
    }

    // ---- replace ----

    @Test
    void replaceChangesExistingValue() throws Exception {
        assertEquals(json("{'spec':{'replicas':3}}"),
                apply("{'spec':{'replicas':1}}", "[{'op':'replace','path':'/spec/replicas','value':3}]"));
        assertEquals(json("[1,{'x':0},3]"), apply("[1,2,3]", "[{'op':'replace','path':'/1','value':{'x':0}}]"));
    }

    @Test
    void replaceMissingMemberIsRejected() {
        assertEquals("replace operation does not apply: doc is missing path: \"/spec/foo\": missing value",
                error("{'spec':{}}", "[{'op':'replace','path':'/spec/foo','value':1}]"));
    }

    @Test
    void replaceOutOfRangeIndexIsRejected() {
        assertEquals("replace operation does not apply: doc is missing path: \"/a/2\": missing value",
                error("{'a':[1,2]}", "[{'op':'replace','path':'/a/2','value':1}]"));
    }

    @Test
    void replaceRootReplacesDocument() throws Exception {
        assertEquals(json("'x'"), apply("{'a':1}", "[{'op':'replace','path':'','value':'x'}]"));
    }

    // ---- move ----

    @Test
    void moveRelocatesValue() throws Exception {
        assertEquals(json("{'a':{},'b':{'c':1}}"), apply("{'a':{'c':1},'b':{}}", "[{'op':'move','from':'/a/c','path':'/b/c'}]"));
    }

    @Test
    void moveWithinArrayUsesIndicesAfterRemoval() throws Exception {
        assertEquals(json("[2,3,1]"), apply("[1,2,3]", "[{'op':'move','from':'/0','path':'/2'}]"));
    }

    @Test
    void moveToSameLocationIsNoOp() throws Exception {
        assertEquals(json("{'a':1}"), apply("{'a':1}", "[{'op':'move','from':'/a','path':'/a'}]"));
    }

    @Test
    void moveFromMissingPathIsRejected() {
        assertEquals("move operation does not apply: doc is missing from path: \"/nope\": missing value",
                error("{'a':1}", "[{'op':'move','from':'/nope','path':'/b'}]"));
    }

    @Test
    void moveIntoOwnChildIsRejected() {
        assertEquals("move operation does not apply: cannot move \"/a\" into its own descendant \"/a/b\"",
                error("{'a':{}}", "[{'op':'move','from':'/a','path':'/a/b'}]"));
    }

    @Test
    void moveToMissingDestinationIsRejected() {
        assertEquals("move operation does not apply: doc is missing destination path: \"/x/y\": missing value",
                error("{'a':1}", "[{'op':'move','from':'/a','path':'/x/y'}]"));
    }

    // ---- copy ----

    @Test
    void copyDuplicatesValueIndependently() throws Exception {
        JsonNode result = apply("{'a':{'x':1}}", "[{'op':'copy','from':'/a','path':'/b'},"
                + "{'op':'replace','path':'/b/x','value':2}]");
        assertEquals(json("{'a':{'x':1},'b':{'x':2}}"), result);
    }

    @Test
    void copyFromMissingPathIsRejected() {
        assertEquals("copy operation does not apply: doc is missing from path: \"/nope\": missing value",
                error("{}", "[{'op':'copy','from':'/nope','path':'/b'}]"));
    }

    @Test
    void copyWithoutFromIsRejected() {
        assertEquals("copy operation failed to decode from: missing value", error("{}", "[{'op':'copy','path':'/b'}]"));
    }

    // ---- test ----

    @Test
    void testPassesOnEqualValue() throws Exception {
        assertEquals(json("{'a':{'b':[1,'x',null]}}"),
                apply("{'a':{'b':[1,'x',null]}}", "[{'op':'test','path':'/a','value':{'b':[1,'x',null]}}]"));
    }

    @Test
    void testComparesNumbersByValue() throws Exception {
        apply("{'a':1}", "[{'op':'test','path':'/a','value':1.0}]");
        apply("{'a':{'n':[10000000000]}}", "[{'op':'test','path':'/a','value':{'n':[1e10]}}]");
    }

    @Test
    void testIgnoresMemberOrder() throws Exception {
        apply("{'a':{'x':1,'y':2}}", "[{'op':'test','path':'/a','value':{'y':2,'x':1}}]");
    }

    @Test
    void testFailsOnDifferentValue() {
        assertEquals("testing value /x failed: test failed", error("{'x':1}", "[{'op':'test','path':'/x','value':2}]"));
        assertEquals("testing value /x failed: test failed", error("{'x':'1'}", "[{'op':'test','path':'/x','value':1}]"));
    }

    @Test
    void testFailsOnMissingPath() {
        assertEquals("testing value /x failed: test failed",
                error("{}", "[{'op':'test','path':'/x','value':null}]"));
    }

    @Test
    void failedTestAbortsWholePatch() {
        JsonNode target = json("{'a':1}");
        assertThrows(PatchException.class, () -> JsonPatch.apply(target, json(
                "[{'op':'replace','path':'/a','value':2},{'op':'test','path':'/a','value':3}]")));
        assertEquals(json("{'a':1}"), target);
    }

    // ---- pointers ----

    @Test
    void pointerEscapesAreDecoded() throws Exception {
        JsonNode result = apply("{'metadata':{'annotations':{}}}",
                "[{'op':'add','path':'/metadata/annotations/example.com~1a~0b','value':'v'}]");
        assertEquals("v", result.get("metadata").get("annotations").get("example.com/a~b").asText());
    }

    @Test
    void tildeIsDecodedAfterSlash() throws Exception {
        // "~01" must become "~1", not "/"
        assertEquals(json("{'~1':true}"), apply("{}", "[{'op':'add','path':'/~01','value':true}]"));
    }

    @Test
    void emptyKeyIsAddressable() throws Exception {
        assertEquals(json("{'':{'':1}}"), apply("{'':{}}", "[{'op':'add','path':'//','value':1}]"));
    }

    @Test
    void pointerWithoutLeadingSlashIsRejected() {
        assertEquals("add operation does not apply: invalid JSON pointer: \"a\" (must be empty or start with '/')",
                error("{}", "[{'op':'add','path':'a','value':1}]"));
    }

    @Test
    void badTildeEscapeIsRejected() {
        assertEquals("add operation does not apply: invalid JSON pointer: \"/a~2\" ('~' must be followed by '0' or '1')",
                error("{}", "[{'op':'add','path':'/a~2','value':1}]"));
    }

    // ---- patch document ----

    @Test
    void operationsApplyInOrder() throws Exception {
        assertEquals(json("{'b':[2]}"), apply("{'a':1}", "[{'op':'add','path':'/b','value':[]},"
                + "{'op':'add','path':'/b/-','value':2},{'op':'remove','path':'/a'}]"));
    }

    @Test
    void emptyPatchReturnsEqualCopy() throws Exception {
        assertEquals(json("{'a':1}"), apply("{'a':1}", "[]"));
    }

    @Test
    void nonArrayPatchIsRejected() {
        assertEquals("json: cannot unmarshal object into Go value of type jsonpatch.Patch",
                error("{}", "{'op':'add','path':'/a','value':1}"));
        assertThrows(PatchException.class, () -> JsonPatch.apply(json("{}"), null));
    }

    @Test
    void nonObjectOperationIsRejected() {
        assertEquals("json: cannot unmarshal string into Go value of type jsonpatch.Operation", error("{}", "['add']"));
    }

    @Test
    void unknownOperationIsRejected() {
        assertEquals("Unexpected kind: frobnicate", error("{}", "[{'op':'frobnicate','path':'/a'}]"));
        assertEquals("Unexpected kind: unknown", error("{}", "[{'path':'/a'}]"));
    }

    @Test
    void missingPathIsRejected() {
        assertEquals("remove operation failed to decode path: missing value", error("{}", "[{'op':'remove'}]"));
    }

    @Test
    void inputsAreNotMutated() throws Exception {
        JsonNode target = json("{'a':{'b':[1,2]},'c':1}");
        JsonNode patch = json("[{'op':'add','path':'/a/b/-','value':{'k':1}},{'op':'remove','path':'/c'},"
                + "{'op':'move','from':'/a/b/0','path':'/d'}]");
        JsonNode targetBefore = target.deepCopy();
        JsonNode patchBefore = patch.deepCopy();
        JsonNode result = JsonPatch.apply(target, patch);
        assertEquals(json("{'a':{'b':[2,{'k':1}]},'d':1}"), result);
        assertEquals(targetBefore, target);
        assertEquals(patchBefore, patch);
        ((ObjectNode) result.get("a").get("b").get(1)).put("k", 5);
        assertEquals(patchBefore, patch);
    }
}
