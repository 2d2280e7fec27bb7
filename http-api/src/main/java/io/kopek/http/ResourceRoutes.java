package io.kopek.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.entity.ObjectEntity;
import io.kopek.persistence.entity.ObjectRules;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.log.ListQuery;
import io.kopek.persistence.log.ObjectFilter;
import io.kopek.persistence.log.WatchQuery;
import io.kopek.persistence.resource.BuiltinResources;
import io.kopek.persistence.resource.ResourceRegistry;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.StoreError;
import io.kopek.persistence.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.Query;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The generic REST verbs for every resource in the registry: get, list, watch, create, update, patch, delete and
 * deletecollection, plus the status and scale subresources. Everything is CompletionStage composition on the
 * store; nothing blocks.
 */
final class ResourceRoutes {
  private static final int DELETE_COLLECTION_PARALLELISM = 16;
  private static final List<String> PATCH_TYPES = List.of(ObjectRules.JSON_PATCH, ObjectRules.MERGE_PATCH);
  private static final long NAMESPACE_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int MAX_REMEMBERED_NAMESPACES = 10_000;

  private final ObjectStore store;
  private final ResourceRegistry registry;
  private final Materializer mat;
  private final ResourceType namespaces;
  private final Map<String, Long> activeNamespaces = new ConcurrentHashMap<>();

  ResourceRoutes(ObjectStore store, Materializer mat) {
    this.store = store;
    this.registry = store.registry();
    this.mat = mat;
    this.namespaces = registry.byPath("", "v1", "namespaces").orElseThrow();
  }

  CompletionStage<HttpResponse> serve(ResourcePath.Resource p, HttpRequest req, RequestInfo info,
      SharedKillSwitch connection) {
    ResourceType t = p.type();
    info.group = t.group();
    info.version = t.version();
    info.resource = t.plural();
    Query q = req.getUri().query(StandardCharsets.UTF_8, Uri.RELAXED);
    String method = req.method().name();
    if (p.subresource() != null) {
      info.subresource = p.subresource();
      return subresource(p, req, q, method, info);
    }
    if (p.collection()) {
      switch (method) {
        case "GET", "HEAD" -> {
          boolean watch = p.legacyWatch() || QueryParams.bool(q, "watch");
          info.verb = watch ? "WATCH" : "LIST";
          allow(t, watch ? "watch" : "list", null);
          QueryParams.validateListOptions(q, watch);
          discard(req);
          return watch ? watch(p, q, connection) : list(p, q);
        }
        case "POST" -> {
          info.verb = "POST";
          if (p.allNamespaces()) return refuseWithBody(req, StatusResponses.methodNotAllowed(t, null));
          allow(t, "create", null);
          return create(p, req, q);
        }
        case "DELETE" -> {
          info.verb = "DELETECOLLECTION";
          if (p.allNamespaces()) return refuseWithBody(req, StatusResponses.methodNotAllowed(t, null));
          allow(t, "deletecollection", null);
          return deleteCollection(p, req, q);
        }
        default -> {
          return refuseWithBody(req, StatusResponses.methodNotAllowed(t, null));
        }
      }
    }
    switch (method) {
      case "GET", "HEAD" -> {
        boolean watch = p.legacyWatch() || QueryParams.bool(q, "watch");
        info.verb = watch ? "WATCH" : "GET";
        allow(t, watch ? "watch" : "get", p.name());
        if (watch) QueryParams.validateListOptions(q, true);
        discard(req);
        return watch ? watch(p, q, connection) : store.get(t, p.namespace(), p.name()).thenApply(o -> JsonResponses.object(200, o, t));
      }
      case "PUT" -> {
        info.verb = "PUT";
        allow(t, "update", p.name());
        return update(p, req, q, "");
      }
      case "PATCH" -> {
        info.verb = "PATCH";
        allow(t, "patch", p.name());
        return patch(p, req, q, "");
      }
      case "DELETE" -> {
        info.verb = "DELETE";
        allow(t, "delete", p.name());
        return delete(p, req, q);
      }
      default -> {
        return refuseWithBody(req, StatusResponses.methodNotAllowed(t, p.name()));
      }
    }
  }

  // ---- read -------------------------------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> list(ResourcePath.Resource p, Query q) {
    ResourceType t = p.type();
    ListQuery query = new ListQuery(p.namespace(), QueryParams.text(q, "labelSelector"),
        QueryParams.text(q, "fieldSelector"), QueryParams.text(q, "resourceVersion"),
        QueryParams.text(q, "resourceVersionMatch"), QueryParams.number(q, "limit", 0),
        QueryParams.text(q, "continue"));
    return store.list(t, query).thenApply(listed -> JsonResponses.json(200, JsonResponses.list(t, listed)));
  }

  private CompletionStage<HttpResponse> watch(ResourcePath.Resource p, Query q, SharedKillSwitch connection) {
    ResourceType t = p.type();
    String labels = QueryParams.text(q, "labelSelector");
    String fields = QueryParams.text(q, "fieldSelector");
    if (p.name() != null) {
      // Watching one object by its path (deprecated upstream, still served): a metadata.name field selector.
      String byName = "metadata.name=" + p.name();
      fields = fields.isEmpty() ? byName : fields + "," + byName;
    }
    try {
      ObjectFilter.of(t, p.namespace(), labels, fields); // selectors are checked before the stream starts
    } catch (IllegalArgumentException e) {
      throw StoreError.badRequest(e.getMessage()).exception();
    }
    boolean bookmarks = QueryParams.bool(q, "allowWatchBookmarks");
    WatchQuery query = new WatchQuery(p.namespace(), labels, fields, QueryParams.text(q, "resourceVersion"),
        bookmarks);
    return CompletableFuture.completedFuture(WatchStream.response(store, t, query,
        WatchStream.timeout(QueryParams.optionalNumber(q, "timeoutSeconds")), connection));
  }

  // ---- create -----------------------------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> create(ResourcePath.Resource p, HttpRequest req, Query q) {
    ResourceType t = p.type();
    String mediaType = RequestBodies.mediaType(req);
    return RequestBodies.read(req, mat).thenCompose(body -> {
      boolean dryRun = QueryParams.dryRun(q, "CreateOptions");
      QueryParams.fieldValidation(q, "CreateOptions");
      ObjectNode obj = RequestBodies.decodeObject(mediaType, body, t, registry);
      checkMetadata(obj, t);
      placeInNamespace(obj, t, p.namespace());
      if (Reviews.handles(t)) {
        return CompletableFuture.completedFuture(JsonResponses.object(201, Reviews.answer(t, obj), t));
      }
      return namespaceAdmits(t, p.namespace(), Json.name(obj))
          .thenCompose(ok -> store.create(t, p.namespace(), obj, dryRun))
          .thenApply(created -> JsonResponses.object(201, created, t));
    });
  }

  /**
   * Upstream's NamespaceLifecycle admission: no new objects in a missing or terminating namespace. An active
   * namespace is remembered for a second (upstream reads namespaces from an informer, with a similar lag), so a
   * burst of creates costs one lookup.
   */
  private CompletionStage<Void> namespaceAdmits(ResourceType t, String namespace, String name) {
    if (!t.namespaced() || namespace.isEmpty()) return CompletableFuture.completedFuture(null);
    Long activeUntil = activeNamespaces.get(namespace);
    if (activeUntil != null && activeUntil - System.nanoTime() > 0) return CompletableFuture.completedFuture(null);
    return store.get(namespaces, "", namespace).handle((ns, failure) -> {
      if (failure != null) {
        Throwable cause = StatusResponses.unwrap(failure);
        if (cause instanceof StoreException se && se.error().code() == 404) {
          throw StoreError.notFound(namespaces, namespace).exception();
        }
        throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
      }
      if (ns.path("metadata").hasNonNull("deletionTimestamp")
          || "Terminating".equals(Json.text(ns, "status.phase"))) {
        String n = name == null || name.isEmpty() ? "" : " \"" + name + "\"";
        throw new StoreError(403, "Forbidden", t.qualifiedResource() + n + " is forbidden: unable to create new "
            + "content in namespace " + namespace + " because it is being terminated", name, t.group(), t.plural(),
            List.of(new StoreError.Cause("NamespaceTerminating", "namespace " + namespace + " is being terminated",
                "metadata.namespace"))).exception();
      }
      if (activeNamespaces.size() > MAX_REMEMBERED_NAMESPACES) activeNamespaces.clear();
      activeNamespaces.put(namespace, System.nanoTime() + NAMESPACE_MEMORY_NANOS);
      return null;
    });
  }

  // ---- update and patch ---------------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> update(ResourcePath.Resource p, HttpRequest req, Query q, String sub) {
    ResourceType t = p.type();
    String mediaType = RequestBodies.mediaType(req);
    return RequestBodies.read(req, mat).thenCompose(body -> {
      boolean dryRun = QueryParams.dryRun(q, "UpdateOptions");
      QueryParams.fieldValidation(q, "UpdateOptions");
      ObjectNode obj = RequestBodies.decodeObject(mediaType, body, t, registry);
      checkMetadata(obj, t);
      String bodyName = Json.name(obj);
      if (!p.name().equals(bodyName)) {
        throw StoreError.badRequest("the name of the object (" + (bodyName == null ? "" : bodyName)
            + ") does not match the name on the URL (" + p.name() + ")").exception();
      }
      placeInNamespace(obj, t, p.namespace());
      return store.update(t, p.namespace(), p.name(), obj, sub, dryRun)
          .thenApply(updated -> JsonResponses.object(200, updated, t));
    });
  }

  private CompletionStage<HttpResponse> patch(ResourcePath.Resource p, HttpRequest req, Query q, String sub) {
    ResourceType t = p.type();
    String mediaType = RequestBodies.mediaType(req);
    return RequestBodies.read(req, mat).thenCompose(body -> {
      if (!PATCH_TYPES.contains(mediaType)) throw StatusResponses.unsupportedMediaType(PATCH_TYPES).exception();
      boolean dryRun = QueryParams.dryRun(q, "PatchOptions");
      QueryParams.fieldValidation(q, "PatchOptions");
      String patch = new String(body, StandardCharsets.UTF_8);
      if (sub.equals("scale")) {
        return ScaleSubresource.patch(store, t, p.namespace(), p.name(), mediaType, patch, dryRun)
            .thenApply(scale -> JsonResponses.json(200, scale));
      }
      return store.patch(t, p.namespace(), p.name(), mediaType, patch, sub, dryRun)
          .thenApply(patched -> JsonResponses.object(200, patched, t));
    });
  }

  // ---- delete -----------------------------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> delete(ResourcePath.Resource p, HttpRequest req, Query q) {
    ResourceType t = p.type();
    return RequestBodies.read(req, mat).thenCompose(body -> {
      ObjectEntity.DeleteOptions options = DeleteOptionsDecoder.decode(q, body);
      return store.delete(t, p.namespace(), p.name(), options)
          .thenApply(ok -> JsonResponses.object(200, ok.object(), t));
    });
  }

  private CompletionStage<HttpResponse> deleteCollection(ResourcePath.Resource p, HttpRequest req, Query q) {
    ResourceType t = p.type();
    return RequestBodies.read(req, mat).thenCompose(body -> {
      ObjectEntity.DeleteOptions options = DeleteOptionsDecoder.decode(q, body);
      ListQuery query = new ListQuery(p.namespace(), QueryParams.text(q, "labelSelector"),
          QueryParams.text(q, "fieldSelector"), "", "", 0, "");
      return store.list(t, query).thenCompose(listed -> Source.from(listed.items())
          .mapAsync(DELETE_COLLECTION_PARALLELISM, item -> deleteOne(t, item, options))
          .filter(Objects::nonNull)
          .runWith(Sink.seq(), mat)
          .thenApply(deleted -> JsonResponses.json(200, JsonResponses.list(t, deleted,
              Long.toString(listed.resourceVersion()), null, null))));
    });
  }

  /** One object of a deletecollection: null when someone else deleted it first. */
  private CompletionStage<ObjectNode> deleteOne(ResourceType t, ObjectNode item, ObjectEntity.DeleteOptions options) {
    String ns = Json.namespace(item);
    return store.delete(t, ns == null ? "" : ns, Json.name(item), options).handle((ok, failure) -> {
      if (failure == null) return ok.object();
      Throwable cause = StatusResponses.unwrap(failure);
      if (cause instanceof StoreException se && se.error().code() == 404) return null;
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    });
  }

  // ---- subresources -------------------------------------------------------------------------------------------

  private CompletionStage<HttpResponse> subresource(ResourcePath.Resource p, HttpRequest req, Query q, String method,
      RequestInfo info) {
    ResourceType t = p.type();
    String sub = p.subresource();
    if (!t.subresources().contains(sub)) return refuseWithBody(req, StatusResponses.notFoundPath());
    info.verb = method;
    if (sub.equals("status")) {
      switch (method) {
        case "GET", "HEAD" -> {
          discard(req);
          return store.get(t, p.namespace(), p.name()).thenApply(o -> JsonResponses.object(200, o, t));
        }
        case "PUT" -> {
          return update(p, req, q, "status");
        }
        case "PATCH" -> {
          return patch(p, req, q, "status");
        }
        default -> {
          return refuseWithBody(req, StatusResponses.methodNotAllowed(t, p.name()));
        }
      }
    }
    if (sub.equals("scale")) {
      switch (method) {
        case "GET", "HEAD" -> {
          discard(req);
          return ScaleSubresource.get(store, t, p.namespace(), p.name()).thenApply(s -> JsonResponses.json(200, s));
        }
        case "PUT" -> {
          return RequestBodies.read(req, mat).thenCompose(body -> ScaleSubresource.update(store, t, p.namespace(),
              p.name(), body, QueryParams.dryRun(q, "UpdateOptions"))).thenApply(s -> JsonResponses.json(200, s));
        }
        case "PATCH" -> {
          return patch(p, req, q, "scale");
        }
        default -> {
          return refuseWithBody(req, StatusResponses.methodNotAllowed(t, p.name()));
        }
      }
    }
    // log, exec, attach, portforward, proxy, binding, eviction, token, finalize: not served yet.
    return refuseWithBody(req, StatusResponses.methodNotAllowed(t, p.name()));
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  /** 405 unless discovery advertises the verb for this resource. */
  private static void allow(ResourceType t, String verb, String name) {
    if (!BuiltinResources.verbs(t).contains(verb)) throw StatusResponses.methodNotAllowed(t, name).exception();
  }

  /** The body's metadata must be an object, as upstream's decoder requires. */
  private static void checkMetadata(ObjectNode obj, ResourceType t) {
    JsonNode meta = obj.get("metadata");
    if (meta != null && !meta.isNull() && !meta.isObject()) {
      throw StoreError.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind()
          + ": json: cannot unmarshal " + meta.getNodeType().toString().toLowerCase() + " into Go struct field "
          + t.kind() + ".metadata of type v1.ObjectMeta").exception();
    }
  }

  /**
   * Upstream's EnsureObjectNamespaceMatchesRequestNamespace: an absent namespace is taken from the path, a different
   * one is refused; cluster-scoped objects lose theirs.
   */
  private static void placeInNamespace(ObjectNode obj, ResourceType t, String namespace) {
    ObjectNode meta = Json.metadata(obj);
    String own = Json.namespace(obj);
    if (!t.namespaced()) {
      meta.remove("namespace");
      return;
    }
    if (own == null || own.isEmpty()) {
      meta.put("namespace", namespace);
    } else if (!own.equals(namespace)) {
      throw StoreError.badRequest("the namespace of the provided object does not match the namespace sent on the "
          + "request").exception();
    }
  }

  private void discard(HttpRequest req) {
    RequestBodies.discard(req, mat);
  }

  private CompletionStage<HttpResponse> refuseWithBody(HttpRequest req, StoreError error) {
    discard(req);
    return CompletableFuture.completedFuture(StatusResponses.response(error));
  }
}
