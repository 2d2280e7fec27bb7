package io.kopek.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** CRUD, lists, pagination, subresources, health, version and discovery against a real server over HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestApiTest {
  TestServer s;

  @BeforeAll
  void start() {
    s = new TestServer();
    s.createNamespace("default");
    s.createNamespace("other");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  static String configMap(String name, String labels, String value) {
    return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels
        + "}},\"data\":{\"k\":\"" + value + "\"}}";
  }

  static String deployment(String name, int replicas, String image) {
    return """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s","labels":{"app":"%s"}},
         "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
           "template":{"metadata":{"labels":{"app":"%s"}},"spec":{"containers":[{"name":"c","image":"%s"}]}}}}
        """.formatted(name, name, replicas, name, name, image);
  }

  @Test
  void configMapCrud() {
    String path = "/api/v1/namespaces/default/configmaps";
    TestServer.Response created = s.post(path, configMap("crud", "\"a\":\"1\"", "v1"));
    assertEquals(201, created.code(), created.body());
    assertTrue(created.contentType().startsWith("application/json"), created.contentType());
    JsonNode obj = created.json();
    assertEquals("ConfigMap", obj.path("kind").asText());
    assertEquals("v1", obj.path("apiVersion").asText());
    assertEquals("default", obj.path("metadata").path("namespace").asText());
    assertFalse(obj.path("metadata").path("uid").asText().isEmpty());
    String rv = obj.path("metadata").path("resourceVersion").asText();

    TestServer.Response got = s.get(path + "/crud");
    assertEquals(200, got.code());
    assertEquals(obj, got.json());

    // PUT with the current resourceVersion
    String updated = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"crud\",\"resourceVersion\":\""
        + rv + "\"},\"data\":{\"k\":\"v2\"}}";
    TestServer.Response put = s.put(path + "/crud", updated);
    assertEquals(200, put.code(), put.body());
    assertEquals("v2", put.json().path("data").path("k").asText());
    assertNotEquals(rv, put.json().path("metadata").path("resourceVersion").asText());

    // merge patch
    TestServer.Response merge = s.patch(path + "/crud", "application/merge-patch+json",
        "{\"metadata\":{\"labels\":{\"b\":\"2\"}},\"data\":{\"k\":\"v3\"}}");
    assertEquals(200, merge.code(), merge.body());
    assertEquals("v3", merge.json().path("data").path("k").asText());
    assertEquals("2", merge.json().path("metadata").path("labels").path("b").asText());

    // json patch
    TestServer.Response jsonPatch = s.patch(path + "/crud", "application/json-patch+json",
        "[{\"op\":\"replace\",\"path\":\"/data/k\",\"value\":\"v4\"}]");
    assertEquals(200, jsonPatch.code(), jsonPatch.body());
    assertEquals("v4", jsonPatch.json().path("data").path("k").asText());

    // dry run changes nothing
    TestServer.Response dry = s.patch(path + "/crud?dryRun=All", "application/merge-patch+json",
        "{\"data\":{\"k\":\"dry\"}}");
    assertEquals(200, dry.code(), dry.body());
    assertEquals("dry", dry.json().path("data").path("k").asText());
    assertEquals("v4", s.get(path + "/crud").json().path("data").path("k").asText());

    TestServer.Response deleted = s.delete(path + "/crud", "{\"propagationPolicy\":\"Background\"}");
    assertEquals(200, deleted.code(), deleted.body());
    assertEquals("crud", deleted.json().path("metadata").path("name").asText());
    TestServer.Response gone = s.get(path + "/crud");
    assertEquals(404, gone.code());
    JsonNode status = gone.json();
    assertEquals("Status", status.path("kind").asText());
    assertEquals("NotFound", status.path("reason").asText());
    assertEquals("configmaps \"crud\" not found", status.path("message").asText());
    assertEquals("crud", status.path("details").path("name").asText());
    assertEquals("configmaps", status.path("details").path("kind").asText());
    assertFalse(status.path("details").has("group"), "empty group is left out: " + status);
    assertEquals(404, status.path("code").asInt());

    assertEquals(404, s.delete(path + "/crud").code());
  }

  @Test
  void deploymentCrudAndSubresources() {
    String path = "/apis/apps/v1/namespaces/default/deployments";
    TestServer.Response created = s.post(path, deployment("web", 2, "nginx:1.25"));
    assertEquals(201, created.code(), created.body());
    JsonNode d = created.json();
    assertEquals("apps/v1", d.path("apiVersion").asText());
    assertEquals(1, d.path("metadata").path("generation").asInt());

    TestServer.Response patched = s.patch(path + "/web", "application/merge-patch+json",
        "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx:1.27\"}]}}}}");
    assertEquals(200, patched.code(), patched.body());
    assertEquals(2, patched.json().path("metadata").path("generation").asInt());

    // status subresource: only status changes
    com.fasterxml.jackson.databind.node.ObjectNode current =
        (com.fasterxml.jackson.databind.node.ObjectNode) s.get(path + "/web").json();
    ((com.fasterxml.jackson.databind.node.ObjectNode) current.at("/spec/template/spec/containers/0"))
        .put("image", "ignored:1");
    current.putObject("status").put("replicas", 2).put("observedGeneration", 2);
    String withStatus = current.toString();
    TestServer.Response status = s.put(path + "/web/status", withStatus);
    assertEquals(200, status.code(), status.body());
    assertEquals(2, status.json().path("status").path("replicas").asInt());
    assertEquals("nginx:1.27", status.json().at("/spec/template/spec/containers/0/image").asText());

    TestServer.Response getStatus = s.get(path + "/web/status");
    assertEquals(200, getStatus.code());
    assertEquals(2, getStatus.json().path("status").path("observedGeneration").asInt());

    // scale subresource
    TestServer.Response scale = s.get(path + "/web/scale");
    assertEquals(200, scale.code(), scale.body());
    assertEquals("Scale", scale.json().path("kind").asText());
    assertEquals("autoscaling/v1", scale.json().path("apiVersion").asText());
    assertEquals(2, scale.json().path("spec").path("replicas").asInt());
    assertEquals("app=web", scale.json().path("status").path("selector").asText());
    TestServer.Response scaled = s.patch(path + "/web/scale", "application/merge-patch+json",
        "{\"spec\":{\"replicas\":5}}");
    assertEquals(200, scaled.code(), scaled.body());
    assertEquals(5, scaled.json().path("spec").path("replicas").asInt());
    assertEquals(5, s.get(path + "/web").json().path("spec").path("replicas").asInt());

    // list across all namespaces
    TestServer.Response all = s.get("/apis/apps/v1/deployments");
    assertEquals(200, all.code());
    assertEquals("DeploymentList", all.json().path("kind").asText());
    assertEquals("apps/v1", all.json().path("apiVersion").asText());
    assertEquals("Deployment", all.json().path("items").get(0).path("kind").asText());

    TestServer.Response del = s.delete(path + "/web");
    assertEquals(200, del.code(), del.body());
    assertEquals(404, s.get(path + "/web").code());
  }

  @Test
  void listWithLabelSelectorAndFieldSelector() {
    String path = "/api/v1/namespaces/other/configmaps";
    for (int i = 0; i < 6; i++) {
      String tier = i % 2 == 0 ? "front" : "back";
      assertEquals(201, s.post(path, configMap("sel-" + i, "\"tier\":\"" + tier + "\",\"sel\":\"yes\"", "x")).code());
    }
    JsonNode front = s.get(path + "?labelSelector=tier%3Dfront").json();
    assertEquals("ConfigMapList", front.path("kind").asText());
    assertEquals(3, front.path("items").size(), front.toString());
    assertFalse(front.path("metadata").path("resourceVersion").asText().isEmpty());
    assertFalse(front.path("metadata").has("continue"));
    for (JsonNode item : front.path("items")) {
      assertEquals("front", item.path("metadata").path("labels").path("tier").asText());
      assertEquals("ConfigMap", item.path("kind").asText());
      assertEquals("v1", item.path("apiVersion").asText());
    }
    JsonNode notIn = s.get(path + "?labelSelector=sel%3Dyes,tier%20notin%20(front)").json();
    assertEquals(3, notIn.path("items").size());
    JsonNode byName = s.get(path + "?fieldSelector=metadata.name%3Dsel-1").json();
    assertEquals(1, byName.path("items").size());
    // a field the resource does not support is a 400
    TestServer.Response badField = s.get(path + "?fieldSelector=spec.nope%3Dx");
    assertEquals(400, badField.code(), badField.body());
    assertEquals("BadRequest", badField.json().path("reason").asText());
    // the all-namespaces list sees them too
    JsonNode all = s.get("/api/v1/configmaps?labelSelector=sel%3Dyes").json();
    assertEquals(6, all.path("items").size());

    // deletecollection by label
    TestServer.Response dc = s.delete(path + "?labelSelector=tier%3Dback");
    assertEquals(200, dc.code(), dc.body());
    assertEquals(3, dc.json().path("items").size());
    assertEquals(3, s.get(path + "?labelSelector=sel%3Dyes").json().path("items").size());
  }

  @Test
  void paginationWithLimitAndContinue() {
    String path = "/api/v1/namespaces/default/configmaps";
    for (int i = 0; i < 7; i++) {
      assertEquals(201, s.post(path, configMap("page-" + i, "\"page\":\"yes\"", "x")).code());
    }
    Set<String> names = new HashSet<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cont = "";
    String firstRv = null;
    do {
      JsonNode page = s.get(path + "?labelSelector=page%3Dyes&limit=3" + (cont.isEmpty() ? "" : "&continue=" + cont))
          .json();
      if (firstRv == null) firstRv = page.path("metadata").path("resourceVersion").asText();
      pageSizes.add(page.path("items").size());
      page.path("items").forEach(i -> assertTrue(names.add(i.path("metadata").path("name").asText())));
      cont = page.path("metadata").path("continue").asText("");
    } while (!cont.isEmpty());
    assertEquals(List.of(3, 3, 1), pageSizes);
    assertEquals(7, names.size());

    // without selectors the page carries remainingItemCount
    JsonNode first = s.get(path + "?limit=2").json();
    assertTrue(first.path("metadata").path("remainingItemCount").asLong() > 0, first.path("metadata").toString());
    assertNotNull(first.path("metadata").path("continue").textValue());
  }

  @Test
  void largeResponsesAreGzippedForClientsThatAcceptIt() throws Exception {
    s.createNamespace("big");
    String value = "x".repeat(8 * 1024);
    for (int i = 0; i < 20; i++) {
      assertEquals(201, s.post("/api/v1/namespaces/big/configmaps", configMap("big-" + i, "", value)).code());
    }
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(s.base + "/api/v1/namespaces/big/configmaps")).header("Accept-Encoding", "gzip").build();
    java.net.http.HttpResponse<byte[]> r = s.client.send(req, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(""));
    byte[] json = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body())).readAllBytes();
    assertEquals(20, io.kopek.persistence.json.Json.MAPPER.readTree(json).path("items").size());
    // without Accept-Encoding: plain
    TestServer.Response plain = s.get("/api/v1/namespaces/big/configmaps");
    assertEquals(20, plain.json().path("items").size());
  }

  @Test
  void namespacesAreClusterScoped() {
    TestServer.Response ns = s.get("/api/v1/namespaces/default");
    assertEquals(200, ns.code(), ns.body());
    assertEquals("Namespace", ns.json().path("kind").asText());
    assertFalse(ns.json().path("metadata").has("namespace"));
    TestServer.Response status = s.get("/api/v1/namespaces/default/status");
    assertEquals(200, status.code(), status.body());
    assertEquals("Active", status.json().path("status").path("phase").asText());
    assertEquals("NamespaceList", s.get("/api/v1/namespaces").json().path("kind").asText());

    s.createNamespace("doomed");
    assertEquals(200, s.delete("/api/v1/namespaces/doomed").code());
  }

  @Test
  void createInMissingNamespaceIs404() {
    TestServer.Response r = s.post("/api/v1/namespaces/nowhere/configmaps", configMap("x", "", "y"));
    assertEquals(404, r.code(), r.body());
    assertEquals("namespaces \"nowhere\" not found", r.json().path("message").asText());
    assertEquals("NotFound", r.json().path("reason").asText());
  }

  @Test
  void createInTerminatingNamespaceIsForbidden() {
    assertEquals(201, s.post("/api/v1/namespaces",
        "{\"metadata\":{\"name\":\"ending\",\"finalizers\":[\"example.com/hold\"]}}").code());
    TestServer.Response del = s.delete("/api/v1/namespaces/ending");
    assertEquals(200, del.code(), del.body());
    assertTrue(del.json().path("metadata").has("deletionTimestamp"), del.body());
    TestServer.Response r = s.post("/api/v1/namespaces/ending/configmaps", configMap("late", "", "y"));
    assertEquals(403, r.code(), r.body());
    assertEquals("Forbidden", r.json().path("reason").asText());
    assertEquals("configmaps \"late\" is forbidden: unable to create new content in namespace ending because it is "
        + "being terminated", r.json().path("message").asText());
    assertEquals("NamespaceTerminating", r.json().at("/details/causes/0/reason").asText());
  }

  @Test
  void bodyWithoutKindAndNamespaceIsDefaultedFromThePath() {
    TestServer.Response r = s.post("/api/v1/namespaces/default/configmaps",
        "{\"metadata\":{\"name\":\"nokind\"},\"data\":{\"a\":\"b\"}}");
    assertEquals(201, r.code(), r.body());
    assertEquals("ConfigMap", r.json().path("kind").asText());
    assertEquals("default", r.json().path("metadata").path("namespace").asText());
  }

  @Test
  void namespaceAndNameMismatchesAre400() {
    TestServer.Response ns = s.post("/api/v1/namespaces/default/configmaps",
        "{\"metadata\":{\"name\":\"mm\",\"namespace\":\"other\"}}");
    assertEquals(400, ns.code());
    assertEquals("the namespace of the provided object does not match the namespace sent on the request",
        ns.json().path("message").asText());
    assertEquals(201, s.post("/api/v1/namespaces/default/configmaps", configMap("mm", "", "1")).code());
    TestServer.Response name = s.put("/api/v1/namespaces/default/configmaps/mm", configMap("other-name", "", "1"));
    assertEquals(400, name.code());
    assertEquals("the name of the object (other-name) does not match the name on the URL (mm)",
        name.json().path("message").asText());
  }

  @Test
  void methodNotAllowed() {
    TestServer.Response r = s.post("/api/v1/configmaps", configMap("x", "", "y"));
    assertEquals(405, r.code(), r.body());
    assertEquals("MethodNotAllowed", r.json().path("reason").asText());
    // namespaces have no deletecollection
    assertEquals(405, s.delete("/api/v1/namespaces").code());
    // componentstatuses are read-only
    assertEquals(405, s.post("/api/v1/componentstatuses", "{\"metadata\":{\"name\":\"x\"}}").code());
  }

  @Test
  void reviewsAnswerWithoutStoring() {
    TestServer.Response r = s.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        "{\"kind\":\"SelfSubjectAccessReview\",\"apiVersion\":\"authorization.k8s.io/v1\",\"spec\":{"
            + "\"resourceAttributes\":{\"namespace\":\"default\",\"verb\":\"get\",\"resource\":\"pods\"}}}");
    assertEquals(201, r.code(), r.body());
    assertTrue(r.json().path("status").path("allowed").asBoolean());
    assertEquals("pods", r.json().at("/spec/resourceAttributes/resource").asText());
  }

  @Test
  void healthAndVersion() {
    for (String p : List.of("/healthz", "/livez", "/readyz")) {
      TestServer.Response r = s.get(p);
      assertEquals(200, r.code(), p);
      assertEquals("ok", r.body());
      assertTrue(r.contentType().startsWith("text/plain"), r.contentType());
    }
    JsonNode v = s.get("/version").json();
    assertEquals("1", v.path("major").asText());
    assertEquals("33", v.path("minor").asText());
    assertEquals("v1.33.0-kopek", v.path("gitVersion").asText());
    assertTrue(v.has("platform") && v.has("goVersion") && v.has("compiler") && v.has("buildDate")
        && v.has("gitCommit") && v.has("gitTreeState"));
  }

  @Test
  void legacyDiscovery() {
    JsonNode api = s.get("/api").json();
    assertEquals("APIVersions", api.path("kind").asText());
    assertEquals("v1", api.path("versions").get(0).asText());
    assertEquals("0.0.0.0/0", api.path("serverAddressByClientCIDRs").get(0).path("clientCIDR").asText());

    JsonNode apis = s.get("/apis").json();
    assertEquals("APIGroupList", apis.path("kind").asText());
    JsonNode autoscaling = null;
    for (JsonNode g : apis.path("groups")) {
      if (g.path("name").asText().equals("autoscaling")) autoscaling = g;
    }
    assertNotNull(autoscaling);
    assertEquals("autoscaling/v2", autoscaling.path("preferredVersion").path("groupVersion").asText());
    assertEquals(2, autoscaling.path("versions").size());

    JsonNode v1 = s.get("/api/v1").json();
    assertEquals("APIResourceList", v1.path("kind").asText());
    assertEquals("v1", v1.path("groupVersion").asText());
    boolean podsStatus = false;
    boolean pods = false;
    for (JsonNode r : v1.path("resources")) {
      if (r.path("name").asText().equals("pods")) {
        pods = true;
        assertEquals("pod", r.path("singularName").asText());
        assertTrue(r.path("namespaced").asBoolean());
        assertEquals("po", r.path("shortNames").get(0).asText());
        assertEquals("all", r.path("categories").get(0).asText());
        assertEquals(8, r.path("verbs").size());
      }
      if (r.path("name").asText().equals("pods/status")) podsStatus = true;
      if (r.path("name").asText().equals("pods/eviction")) {
        assertEquals("policy", r.path("group").asText());
        assertEquals("Eviction", r.path("kind").asText());
      }
    }
    assertTrue(pods && podsStatus);
    JsonNode apps = s.get("/apis/apps/v1").json();
    boolean scale = false;
    for (JsonNode r : apps.path("resources")) {
      if (r.path("name").asText().equals("deployments/scale")) {
        scale = true;
        assertEquals("autoscaling", r.path("group").asText());
        assertEquals("Scale", r.path("kind").asText());
      }
    }
    assertTrue(scale);
    assertEquals("APIGroup", s.get("/apis/apps").json().path("kind").asText());
    assertEquals(404, s.get("/apis/nope.example.com/v1").code());
  }

  @Test
  void aggregatedDiscoveryWhenAskedFirst() {
    String accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
        + "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
    TestServer.Response api = s.get("/api", accept);
    assertEquals(200, api.code());
    assertTrue(api.contentType().contains("as=APIGroupDiscoveryList"), api.contentType());
    assertTrue(api.contentType().contains("v=v2"), api.contentType());
    JsonNode list = api.json();
    assertEquals("APIGroupDiscoveryList", list.path("kind").asText());
    assertEquals("apidiscovery.k8s.io/v2", list.path("apiVersion").asText());
    assertEquals(1, list.path("items").size());
    JsonNode pods = null;
    for (JsonNode r : list.path("items").get(0).path("versions").get(0).path("resources")) {
      if (r.path("resource").asText().equals("pods")) pods = r;
    }
    assertNotNull(pods);
    assertEquals("Namespaced", pods.path("scope").asText());
    assertEquals("Pod", pods.path("responseKind").path("kind").asText());

    JsonNode apis = s.get("/apis", accept).json();
    assertEquals("APIGroupDiscoveryList", apis.path("kind").asText());
    assertTrue(apis.path("items").size() > 5);
    // plain JSON first: the legacy document
    assertEquals("APIVersions", s.get("/api", "application/json").json().path("kind").asText());
  }
}
