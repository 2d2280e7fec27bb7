package io.kopek.persistence.entity;

import static io.kopek.persistence.store.TestStore.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreError;
import io.kopek.persistence.store.TestStore;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The object rules Kubernetes clients rely on, enforced by the object entities of a real one-member cluster.
 * Runs on every journal: each subclass names its store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ObjectSemanticsContract {
  ActorTestKit kit;
  ObjectStore store;

  /** The store URI, e.g. "memory" or "cassandra://127.0.0.1:9142/semantics". */
  protected abstract String storeUri();

  @BeforeAll
  void start() {
    kit = ActorTestKit.create("kopek", TestStore.memberConfig(storeUri(), Path.of("/tmp"), 0, List.of(), ""));
    store = TestStore.open(kit, storeUri(), true);
  }

  @AfterAll
  void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void createSetsUidCreationTimestampGenerationAndResourceVersion() {
    ObjectNode created = await(store.create(CONFIGMAPS, "default", configMap("settings", "a", "1"), false));
    assertEquals("settings", Json.name(created));
    assertEquals("default", Json.namespace(created));
    assertEquals(36, Json.text(created, "metadata.uid").length());
    assertTrue(Json.text(created, "metadata.creationTimestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    assertNull(Json.text(created, "metadata.generation"), "upstream keeps no generation for configmaps");
    assertTrue(Json.resourceVersion(created) > 0);
    assertTrue(Json.same(created, await(store.get(CONFIGMAPS, "default", "settings"))));
  }

  @Test
  void creatingATakenNameIsAlreadyExists() {
    await(store.create(CONFIGMAPS, "default", configMap("taken", "a", "1"), false));
    StoreError e = failure(store.create(CONFIGMAPS, "default", configMap("taken", "a", "2"), false));
    assertEquals(409, e.code());
    assertEquals("AlreadyExists", e.reason());
    assertEquals("configmaps \"taken\" already exists", e.message());
    assertEquals("1", Json.text(await(store.get(CONFIGMAPS, "default", "taken")), "data.a"));
  }

  @Test
  void generateNameAddsARandomSuffix() {
    ObjectNode cm = configMap("", "a", "1");
    Json.metadata(cm).remove("name");
    Json.metadata(cm).put("generateName", "job-");
    String first = Json.name(await(store.create(CONFIGMAPS, "default", cm, false)));
    String second = Json.name(await(store.create(CONFIGMAPS, "default", cm, false)));
    assertTrue(first.matches("job-[bcdfghjklmnpqrstvwxz2456789]{5}"), first);
    assertNotEquals(first, second);
  }

  @Test
  void gettingAMissingObjectIsNotFound() {
    StoreError e = failure(store.get(PODS, "default", "nothing-here"));
    assertEquals(404, e.code());
    assertEquals("NotFound", e.reason());
    assertEquals("pods \"nothing-here\" not found", e.message());
  }

  @Test
  void updateWithAStaleResourceVersionIsAConflictAndChangesNothing() {
    ObjectNode v1 = await(store.create(CONFIGMAPS, "default", configMap("cas", "a", "1"), false));
    ObjectNode edit = v1.deepCopy();
    ((ObjectNode) edit.get("data")).put("a", "2");
    ObjectNode v2 = await(store.update(CONFIGMAPS, "default", "cas", edit, "", false));
    assertTrue(Json.resourceVersion(v2) > Json.resourceVersion(v1));

    ObjectNode stale = v1.deepCopy();
    ((ObjectNode) stale.get("data")).put("a", "3");
    StoreError e = failure(store.update(CONFIGMAPS, "default", "cas", stale, "", false));
    assertEquals(409, e.code());
    assertEquals("Conflict", e.reason());
    assertEquals("Operation cannot be fulfilled on configmaps \"cas\": the object has been modified; please apply "
        + "your changes to the latest version and try again", e.message());
    assertEquals("2", Json.text(await(store.get(CONFIGMAPS, "default", "cas")), "data.a"));
  }

  @Test
  void generationChangesOnlyWhenTheSpecChanges() {
    ObjectNode d = deployment("web", 1);
    ObjectNode v1 = await(store.create(DEPLOYMENTS, "default", d, false));
    assertEquals(1, v1.path("metadata").path("generation").asInt());

    ObjectNode labelled = v1.deepCopy();
    Json.metadata(labelled).putObject("labels").put("tier", "front");
    ObjectNode v2 = await(store.update(DEPLOYMENTS, "default", "web", labelled, "", false));
    assertEquals(1, v2.path("metadata").path("generation").asInt(), "a label is not a spec change");

    ObjectNode scaled = v2.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 3);
    ObjectNode v3 = await(store.update(DEPLOYMENTS, "default", "web", scaled, "", false));
    assertEquals(2, v3.path("metadata").path("generation").asInt());
  }

  @Test
  void statusAndMainResourceUpdateSeparately() {
    ObjectNode v1 = await(store.create(DEPLOYMENTS, "default", deployment("split", 2), false));
    ObjectNode withStatus = v1.deepCopy();
    withStatus.putObject("status").put("replicas", 2);
    ((ObjectNode) withStatus.get("spec")).put("replicas", 9);
    ObjectNode v2 = await(store.update(DEPLOYMENTS, "default", "split", withStatus, "status", false));
    assertEquals(2, v2.path("status").path("replicas").asInt(), "status subresource writes status");
    assertEquals(2, v2.path("spec").path("replicas").asInt(), "status subresource ignores spec");
    assertEquals(1, v2.path("metadata").path("generation").asInt());

    ObjectNode main = v2.deepCopy();
    ((ObjectNode) main.get("status")).put("replicas", 7);
    ((ObjectNode) main.get("spec")).put("replicas", 4);
    ObjectNode v3 = await(store.update(DEPLOYMENTS, "default", "split", main, "", false));
    assertEquals(4, v3.path("spec").path("replicas").asInt());
    assertEquals(2, v3.path("status").path("replicas").asInt(), "main resource ignores status");
  }

  @Test
  void anUnchangedUpdateKeepsTheResourceVersion() {
    ObjectNode v1 = await(store.create(CONFIGMAPS, "default", configMap("same", "a", "1"), false));
    ObjectNode v2 = await(store.update(CONFIGMAPS, "default", "same", v1.deepCopy(), "", false));
    assertEquals(Json.resourceVersion(v1), Json.resourceVersion(v2));
  }

  @Test
  void deleteWithFinalizersWaitsForTheLastFinalizer() {
    ObjectNode cm = configMap("guarded", "a", "1");
    Json.metadata(cm).putArray("finalizers").add("example.com/one").add("example.com/two");
    await(store.create(CONFIGMAPS, "default", cm, false));
    ObjectEntity.Ok marked = await(store.delete(CONFIGMAPS, "default", "guarded", ObjectEntity.DeleteOptions.defaults()));
    assertFalse(marked.gone());
    assertNotNull(Json.text(marked.object(), "metadata.deletionTimestamp"));

    ObjectNode one = await(store.get(CONFIGMAPS, "default", "guarded")).deepCopy();
    Json.metadata(one).putArray("finalizers").add("example.com/two");
    await(store.update(CONFIGMAPS, "default", "guarded", one, "", false));
    assertNotNull(Json.text(await(store.get(CONFIGMAPS, "default", "guarded")), "metadata.deletionTimestamp"));

    ObjectNode adding = await(store.get(CONFIGMAPS, "default", "guarded")).deepCopy();
    Json.metadata(adding).putArray("finalizers").add("example.com/two").add("example.com/new");
    assertEquals(422, failure(store.update(CONFIGMAPS, "default", "guarded", adding, "", false)).code());

    ObjectNode none = await(store.get(CONFIGMAPS, "default", "guarded")).deepCopy();
    Json.metadata(none).putArray("finalizers");
    await(store.update(CONFIGMAPS, "default", "guarded", none, "", false));
    assertEquals(404, failure(store.get(CONFIGMAPS, "default", "guarded")).code());
  }

  @Test
  void deletePreconditionsOnUidAndResourceVersion() {
    ObjectNode v1 = await(store.create(CONFIGMAPS, "default", configMap("pre", "a", "1"), false));
    String uid = Json.text(v1, "metadata.uid");
    StoreError wrongUid = failure(store.delete(CONFIGMAPS, "default", "pre",
        new ObjectEntity.DeleteOptions("other-uid", null, null, null, false)));
    assertEquals(409, wrongUid.code());
    assertTrue(wrongUid.message().contains("Precondition failed: UID in precondition: other-uid"), wrongUid.message());
    StoreError wrongRv = failure(store.delete(CONFIGMAPS, "default", "pre",
        new ObjectEntity.DeleteOptions(uid, "1", null, null, false)));
    assertEquals(409, wrongRv.code());
    ObjectEntity.Ok gone = await(store.delete(CONFIGMAPS, "default", "pre",
        new ObjectEntity.DeleteOptions(uid, Json.text(v1, "metadata.resourceVersion"), null, null, false)));
    assertTrue(gone.gone());
  }

  @Test
  void scheduledPodsAreDeletedGracefullyUnscheduledOnesAtOnce() {
    await(store.create(PODS, "default", pod("waiting", "busybox"), false));
    assertTrue(await(store.delete(PODS, "default", "waiting", ObjectEntity.DeleteOptions.defaults())).gone());

    ObjectNode bound = pod("bound", "busybox");
    ((ObjectNode) bound.get("spec")).put("nodeName", "node-1");
    await(store.create(PODS, "default", bound, false));
    ObjectEntity.Ok marked = await(store.delete(PODS, "default", "bound", ObjectEntity.DeleteOptions.defaults()));
    assertFalse(marked.gone());
    assertEquals(30, marked.object().path("metadata").path("deletionGracePeriodSeconds").asInt());
    ObjectEntity.Ok forced = await(store.delete(PODS, "default", "bound",
        new ObjectEntity.DeleteOptions(null, null, 0L, null, false)));
    assertTrue(forced.gone(), "grace period 0 (the node daemon's final delete) removes it");
  }

  @Test
  void invalidNamesAreRefusedWithTheUpstreamMessage() {
    StoreError e = failure(store.create(CONFIGMAPS, "default", configMap("Bad_Name", "a", "1"), false));
    assertEquals(422, e.code());
    assertEquals("Invalid", e.reason());
    assertTrue(e.message().startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\": "
        + "a lowercase RFC 1123 subdomain"), e.message());
    assertEquals(422, failure(store.create(SERVICES, "default", serviceNamed("1st"), false)).code(),
        "services need a DNS-1035 label");
    assertEquals(404, failure(store.get(CONFIGMAPS, "default", "Bad_Name")).code());
  }

  @Test
  void objectsOverTheSizeLimitAreRefused() {
    StoreError e = failure(store.create(CONFIGMAPS, "default", configMap("huge", "blob", "x".repeat(1_600_000)), false));
    assertEquals(413, e.code());
    assertEquals(404, failure(store.get(CONFIGMAPS, "default", "huge")).code());
  }

  @Test
  void recreatingADeletedNameStartsAFreshObject() {
    ObjectNode first = await(store.create(CONFIGMAPS, "default", configMap("phoenix", "a", "1"), false));
    await(store.delete(CONFIGMAPS, "default", "phoenix", ObjectEntity.DeleteOptions.defaults()));
    ObjectNode second = await(store.create(CONFIGMAPS, "default", configMap("phoenix", "a", "2"), false));
    assertNotEquals(Json.text(first, "metadata.uid"), Json.text(second, "metadata.uid"));
    assertTrue(Json.resourceVersion(second) > Json.resourceVersion(first));
    assertEquals("2", Json.text(second, "data.a"));
  }

  @Test
  void mergeAndJsonPatchesApplyAtomically() {
    await(store.create(CONFIGMAPS, "default", configMap("patched", "a", "1"), false));
    ObjectNode merged = await(store.patch(CONFIGMAPS, "default", "patched", ObjectRules.MERGE_PATCH,
        "{\"data\":{\"b\":\"2\",\"a\":null}}", "", false));
    assertEquals("2", Json.text(merged, "data.b"));
    assertNull(Json.text(merged, "data.a"));
    ObjectNode jsonPatched = await(store.patch(CONFIGMAPS, "default", "patched", ObjectRules.JSON_PATCH,
        "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]", "", false));
    assertEquals("3", Json.text(jsonPatched, "data.c"));
    StoreError stale = failure(store.patch(CONFIGMAPS, "default", "patched", ObjectRules.MERGE_PATCH,
        "{\"metadata\":{\"resourceVersion\":\"1\"},\"data\":{\"d\":\"4\"}}", "", false));
    assertEquals(409, stale.code(), "a resourceVersion in a patch is a precondition");
  }

  @Test
  void dryRunValidatesButStoresNothing() {
    ObjectNode dry = await(store.create(CONFIGMAPS, "default", configMap("dry", "a", "1"), true));
    assertEquals("dry", Json.name(dry));
    assertEquals(404, failure(store.get(CONFIGMAPS, "default", "dry")).code());
  }

  static ObjectNode deployment(String name, int replicas) {
    ObjectNode d = Json.object().put("apiVersion", "apps/v1").put("kind", "Deployment");
    d.putObject("metadata").put("name", name);
    ObjectNode spec = d.putObject("spec").put("replicas", replicas);
    spec.putObject("selector").putObject("matchLabels").put("app", name);
    ObjectNode template = spec.putObject("template");
    template.putObject("metadata").putObject("labels").put("app", name);
    template.putObject("spec").putArray("containers").addObject().put("name", "web").put("image", "busybox");
    return d;
  }

  static ObjectNode serviceNamed(String name) {
    ObjectNode s = Json.object().put("apiVersion", "v1").put("kind", "Service");
    s.putObject("metadata").put("name", name);
    s.putObject("spec").putArray("ports").addObject().put("port", 80);
    return s;
  }
}
