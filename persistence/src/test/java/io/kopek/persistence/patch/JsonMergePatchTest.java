package io.kopek.persistence.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

class JsonMergePatchTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String s) {
        try {
            return MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The examples from RFC 7386 appendix A. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{'a':'b'}               | {'a':'c'}                 | {'a':'c'}",
            "{'a':'b'}               | {'b':'c'}                 | {'a':'b','b':'c'}",
            "{'a':'b'}               | {'a':null}                | {}",
            "{'a':'b','b':'c'}       | {'a':null}                | {'b':'c'}",
            "{'a':['b']}             | {'a':'c'}                 | {'a':'c'}",
            "{'a':'c'}               | {'a':['b']}               | {'a':['b']}",
            "{'a':{'b':'c'}}         | {'a':{'b':'d','c':null}}  | {'a':{'b':'d'}}",
            "{'a':[{'b':'c'}]}       | {'a':[1]}                 | {'a':[1]}",
            "['a','b']               | ['c','d']                 | ['c','d']",
            "{'a':'b'}               | ['c']                     | ['c']",
            "{'a':'foo'}             | null                      | null",
            "{'a':'foo'}             | 'bar'                     | 'bar'",
            "{'e':null}              | {'a':1}                   | {'e':null,'a':1}",
            "[1,2]                   | {'a':'b','c':null}        | {'a':'b'}",
            "{}                      | {'a':{'bb':{'ccc':null}}} | {'a':{'bb':{}}}",
    })
    void rfc7386Examples(String target, String patch, String expected) {
        assertEquals(json(expected), JsonMergePatch.apply(json(target), json(patch)));
    }

    @Test
    void nestedObjectsMergeRecursively() {
        JsonNode target = json("{'metadata':{'name':'a','labels':{'x':'1','y':'2'}},'spec':{'replicas':1}}");
        JsonNode patch = json("{'metadata':{'labels':{'y':null,'z':'3'}},'spec':{'replicas':3}}");
        assertEquals(json("{'metadata':{'name':'a','labels':{'x':'1','z':'3'}},'spec':{'replicas':3}}"),
                JsonMergePatch.apply(target, patch));
    }

    @Test
    void objectPatchReplacesScalarMember() {
        assertEquals(json("{'a':{'b':1}}"), JsonMergePatch.apply(json("{'a':5}"), json("{'a':{'b':1,'c':null}}")));
    }

    @Test
    void deletingAbsentMemberIsHarmless() {
        assertEquals(json("{'a':1}"), JsonMergePatch.apply(json("{'a':1}"), json("{'zzz':null}")));
    }

    @Test
    void emptyPatchLeavesTargetUnchanged() {
        JsonNode target = json("{'a':{'b':[1,2]}}");
        assertEquals(target, JsonMergePatch.apply(target, json("{}")));
    }

    @Test
    void inputsAreNotMutated() {
        JsonNode target = json("{'a':{'b':'c','d':'e'},'f':[1]}");
        JsonNode patch = json("{'a':{'b':null,'x':{'y':1}},'f':[2]}");
        JsonNode targetBefore = target.deepCopy();
        JsonNode patchBefore = patch.deepCopy();
        JsonNode result = JsonMergePatch.apply(target, patch);
        assertEquals(targetBefore, target);
        assertEquals(patchBefore, patch);
        assertEquals(json("{'a':{'d':'e','x':{'y':1}},'f':[2]}"), result);
    }

    @Test
    void resultSharesNoNodesWithPatch() {
        JsonNode patch = json("{'a':{'b':{'c':1}},'l':[1]}");
        JsonNode result = JsonMergePatch.apply(json("{}"), patch);
        ((ObjectNode) result.get("a").get("b")).put("c", 2);
        assertEquals(1, patch.get("a").get("b").get("c").asInt());
        assertNotSame(patch.get("l"), result.get("l"));
    }

    @Test
    void javaNullTargetIsTreatedAsAbsent() {
        assertEquals(json("{'a':1}"), JsonMergePatch.apply(null, json("{'a':1,'b':null}")));
    }

    @Test
    void javaNullPatchMeansJsonNull() {
        assertEquals(NullNode.getInstance(), JsonMergePatch.apply(json("{'a':1}"), null));
    }
}
