package io.kopek.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Every kind of bad request gets a well-formed Status with upstream's code and reason, and leaves the stored objects
 * exactly as they were; the server keeps serving afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputGetsAStatusAndChangesNothingTest {
  static final String CMS = "/api/v1/namespaces/default/configmaps";
  static final String VICTIM = CMS + "/victim";
  TestServer s;
  JsonNode original;
  String staleVersion;
  int count;

  @BeforeAll
  void start() {
    s = new TestServer();
    s.createNamespace("default");
    TestServer.Response r = s.post(CMS, RestApiTest.configMap("victim", "\"keep\":\"me\"", "original"));
    assertEquals(201, r.code(), r.body());
    staleVersion = r.json().path("metadata").path("resourceVersion").asText();
    // one more write, so the creation's resourceVersion is a stale one
    r = s.patch(VICTIM, "application/merge-patch+json", "{\"data\":{\"k\":\"original\",\"k2\":\"v2\"}}");
    assertEquals(200, r.code(), r.body());
    original = r.json();
    count = s.get(CMS).json().path("items").size();
  }

  @AfterAll
  void stop() {
    s.close();
  }

  /** After each bad request: the victim is untouched, nothing was added, and the server still answers. */
  @AfterEach
  void nothingChanged() {
    TestServer.Response now = s.get(VICTIM);
    assertEquals(200, now.code(), now.body());
    assertEquals(original, now.json());
    assertEquals(count, s.get(CMS).json().path("items").size());
    assertEquals(200, s.get("/readyz").code());
  }

  /** Checks the Status shape and returns it. */
  private JsonNode status(TestServer.Response r, int code, String reason) {
    assertEquals(code, r.code(), r.body());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonNode st = r.json();
    assertEquals("Status", st.path("kind").asText(), r.body());
    assertEquals("v1", st.path("apiVersion").asText());
    assertTrue(st.path("metadata").isObject());
    assertEquals("Failure", st.path("status").asText());
    assertEquals(reason, st.path("reason").asText());
    assertEquals(code, st.path("code").asInt());
    assertFalse(st.path("message").asText().isEmpty());
    return st;
  }

  private String victimWith(String value, String resourceVersion) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"victim\""
        + (resourceVersion == null ? "" : ",\"resourceVersion\":\"" + resourceVersion + "\"")
        + "},\"data\":{\"k\":\"" + value + "\"}}";
  }

  // ---- malformed bodies ---------------------------------------------------------------------------------------

  @Test
  void malformedJsonOnCreate() {
    JsonNode st = status(s.post(CMS, "{\"metadata\": {\"name\": \"x\"}, bad json"), 400, "BadRequest");
    assertTrue(st.path("message").asText().startsWith(
        "the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: "),
        st.path("message").asText());
  }

  @Test
  void malformedJsonOnUpdate() {
    status(s.put(VICTIM, "{\"kind\":\"ConfigMap\","), 400, "BadRequest");
  }

  @Test
  void emptyAndNonObjectBodies() {
    status(s.post(CMS, ""), 400, "BadRequest");
    status(s.post(CMS, "[1,2,3]"), 400, "BadRequest");
    status(s.post(CMS, "\"just a string\""), 400, "BadRequest");
    status(s.post(CMS, "{\"metadata\":{\"name\":\"x\"}} {\"trailing\":1}"), 400, "BadRequest");
    status(s.post(CMS, "{\"metadata\":5}"), 400, "BadRequest");
    status(s.post(CMS, "{\"kind\":5,\"metadata\":{\"name\":\"x\"}}"), 400, "BadRequest");
  }

  @Test
  void malformedPatches() {
    status(s.patch(VICTIM, "application/merge-patch+json", "{not json"), 400, "BadRequest");
    TestServer.Response badOp = s.patch(VICTIM, "application/json-patch+json", "[{\"op\":\"frobnicate\",\"path\":\"/x\"}]");
    assertTrue(badOp.code() == 400 || badOp.code() == 422, badOp.toString());
    assertEquals("Status", badOp.json().path("kind").asText());
    TestServer.Response failedTest = s.patch(VICTIM, "application/json-patch+json",
        "[{\"op\":\"test\",\"path\":\"/data/k\",\"value\":\"nope\"},{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"x\"}]");
    assertTrue(failedTest.code() >= 400 && failedTest.code() < 500, failedTest.toString());
  }

  // ---- wrong types --------------------------------------------------------------------------------------------

  @Test
  void wrongKindForThePath() {
    JsonNode st = status(s.post(CMS, RestApiTest.deployment("d", 1, "nginx").replace("apps/v1", "v1")), 400,
        "BadRequest");
    assertTrue(st.path("message").asText().startsWith("Deployment in version \"v1\" cannot be handled as a ConfigMap: "),
        st.path("message").asText());
    status(s.post(CMS, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"}}"), 400, "BadRequest");
    status(s.put(VICTIM, "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"victim\"}}"), 400,
        "BadRequest");
  }

  @Test
  void wrongApiVersionForThePath() {
    JsonNode st = status(s.post(CMS, "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"x\"}}"),
        400, "BadRequest");
    assertEquals("the API version in the data (apps/v1) does not match the expected API version (v1)",
        st.path("message").asText());
  }

  @Test
  void unsupportedBodyTypes() {
    byte[] yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n".getBytes(StandardCharsets.UTF_8);
    status(s.send("POST", CMS, "application/yaml", yaml), 415, "UnsupportedMediaType");
    status(s.send("POST", CMS, "application/vnd.kubernetes.protobuf", new byte[] {'k', '8', 's', 0}), 415,
        "UnsupportedMediaType");
  }

  @Test
  void unsupportedPatchTypes() {
    JsonNode st = status(s.patch(VICTIM, "application/strategic-merge-patch+json", "{\"data\":{\"k\":\"smp\"}}"), 415,
        "UnsupportedMediaType");
    assertTrue(st.path("message").asText().startsWith("the body of the request was in an unknown format"));
    status(s.patch(VICTIM, "application/apply-patch+yaml", "{\"data\":{\"k\":\"ssa\"}}"), 415, "UnsupportedMediaType");
    status(s.patch(VICTIM, "text/plain", "{\"data\":{\"k\":\"txt\"}}"), 415, "UnsupportedMediaType");
  }

  // ---- store refusals -----------------------------------------------------------------------------------------

  @Test
  void invalidNameIs422WithCauses() {
    JsonNode st = status(s.post(CMS, RestApiTest.configMap("Bad_Name!", "", "x")), 422, "Invalid");
    assertEquals("ConfigMap", st.path("details").path("kind").asText());
    assertEquals("Bad_Name!", st.path("details").path("name").asText());
    JsonNode cause = st.path("details").path("causes").get(0);
    assertEquals("metadata.name", cause.path("field").asText());
    assertEquals("FieldValueInvalid", cause.path("reason").asText());
    assertTrue(st.path("message").asText().startsWith("ConfigMap \"Bad_Name!\" is invalid: "));
    status(s.post(CMS, "{\"metadata\":{}}"), 422, "Invalid");
  }

  @Test
  void staleResourceVersionOnUpdateIsAConflict() {
    JsonNode st = status(s.put(VICTIM, victimWith("stale", staleVersion)), 409, "Conflict");
    assertTrue(st.path("message").asText().startsWith("Operation cannot be fulfilled on configmaps \"victim\""),
        st.path("message").asText());
    status(s.patch(VICTIM, "application/merge-patch+json", "{\"metadata\":{\"resourceVersion\":\"" + staleVersion + "\"},\"data\":{\"k\":\"p\"}}"),
        409, "Conflict");
    status(s.delete(VICTIM, "{\"preconditions\":{\"resourceVersion\":\"" + staleVersion + "\"}}"), 409, "Conflict");
    status(s.delete(VICTIM, "{\"preconditions\":{\"uid\":\"not-the-uid\"}}"), 409, "Conflict");
  }

  @Test
  void creatingAnExistingNameIsAlreadyExists() {
    JsonNode st = status(s.post(CMS, RestApiTest.configMap("victim", "", "again")), 409, "AlreadyExists");
    assertEquals("configmaps \"victim\" already exists", st.path("message").asText());
    assertEquals("victim", st.path("details").path("name").asText());
  }

  @Test
  void bodyOverThreeMebibytesIs413() {
    byte[] big = new byte[3 * 1024 * 1024 + 100];
    Arrays.fill(big, (byte) 'a');
    String prefix = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"victim\"},\"data\":{\"k\":\"";
    System.arraycopy(prefix.getBytes(StandardCharsets.UTF_8), 0, big, 0, prefix.length());
    big[big.length - 3] = '"';
    big[big.length - 2] = '}';
    big[big.length - 1] = '}';
    JsonNode st = status(s.send("POST", CMS, "application/json", big), 413, "RequestEntityTooLarge");
    assertEquals("Request entity too large: limit is 3145728", st.path("message").asText());
    status(s.send("PUT", VICTIM, "application/json", big), 413, "RequestEntityTooLarge");
    status(s.send("PATCH", VICTIM, "application/merge-patch+json", big), 413, "RequestEntityTooLarge");
    // the same without a Content-Length (chunked): the limit holds while reading
    java.net.http.HttpRequest chunked = java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.base + VICTIM))
        .header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
        .build();
    try {
      java.net.http.HttpResponse<String> r = s.client.send(chunked, java.net.http.HttpResponse.BodyHandlers.ofString());
      status(new TestServer.Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body()), 413,
          "RequestEntityTooLarge");
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  // ---- paths, methods and parameters --------------------------------------------------------------------------

  @Test
  void unknownResourcesAre404() {
    for (String path : new String[] {"/api/v1/namespaces/default/widgets", "/apis/example.com/v1/widgets",
        "/api/v2/pods", "/apis/apps/v1/namespaces/default/deployments/x/y/z", "/api/v1/pods/name-without-namespace",
        "/nothing/here"}) {
      JsonNode st = status(s.get(path), 404, "NotFound");
      assertEquals("the server could not find the requested resource", st.path("message").asText(), path);
    }
    status(s.post("/api/v1/namespaces/default/widgets", "{}"), 404, "NotFound");
    status(s.get(VICTIM + "/nosuchsubresource"), 404, "NotFound");
  }

  @Test
  void missingObjectsAre404() {
    status(s.get(CMS + "/absent"), 404, "NotFound");
    status(s.put(CMS + "/absent", "{\"metadata\":{\"name\":\"absent\"}}"), 404, "NotFound");
    status(s.patch(CMS + "/absent", "application/merge-patch+json", "{}"), 404, "NotFound");
    status(s.delete(CMS + "/absent"), 404, "NotFound");
  }

  @Test
  void methodsTheResourceDoesNotServeAre405() {
    status(s.send("POST", VICTIM, "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 405, "MethodNotAllowed");
    status(s.send("PUT", CMS, "application/json", "{}".getBytes(StandardCharsets.UTF_8)), 405, "MethodNotAllowed");
    status(s.send("PATCH", "/api/v1/configmaps", "application/merge-patch+json", "{}".getBytes(StandardCharsets.UTF_8)),
        405, "MethodNotAllowed");
  }

  @Test
  void badParameters() {
    status(s.get(CMS + "?limit=abc"), 400, "BadRequest");
    status(s.get(CMS + "?watch=maybe"), 400, "BadRequest");
    status(s.get(CMS + "?labelSelector=%3D%3Dbad"), 400, "BadRequest");
    status(s.get(CMS + "?continue=not-a-token"), 400, "BadRequest");
    status(s.get(CMS + "?resourceVersionMatch=Exact"), 422, "Invalid");
    status(s.get(CMS + "?resourceVersion=1&resourceVersionMatch=Sometimes"), 422, "Invalid");
    JsonNode watchList = status(s.get(CMS + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"),
        422, "Invalid");
    assertEquals("ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is "
        + "forbidden for watch unless the WatchList feature gate is enabled", watchList.path("message").asText());
    status(s.patch(VICTIM + "?dryRun=Sometimes", "application/merge-patch+json", "{\"data\":{\"k\":\"x\"}}"), 422,
        "Invalid");
    status(s.put(VICTIM + "?fieldValidation=Loose", victimWith("x", null)), 422, "Invalid");
    status(s.delete(VICTIM + "?propagationPolicy=Sideways"), 422, "Invalid");
    status(s.delete(VICTIM, "{\"gracePeriodSeconds\":\"soon\"}"), 400, "BadRequest");
  }

  @Test
  void dryRunChangesNothing() {
    assertEquals(200, s.put(VICTIM + "?dryRun=All", victimWith("dry", null)).code());
    assertEquals(201, s.post(CMS + "?dryRun=All", RestApiTest.configMap("dry-created", "", "x")).code());
    assertEquals(200, s.delete(VICTIM + "?dryRun=All").code());
  }

  @Test
  void mismatchedNamesAndNamespaces() {
    status(s.put(VICTIM, "{\"metadata\":{\"name\":\"someone-else\"}}"), 400, "BadRequest");
    status(s.put(VICTIM, "{\"metadata\":{\"name\":\"victim\",\"namespace\":\"elsewhere\"}}"), 400, "BadRequest");
    status(s.post("/api/v1/namespaces/missing/configmaps", RestApiTest.configMap("x", "", "y")), 404, "NotFound");
  }
}
