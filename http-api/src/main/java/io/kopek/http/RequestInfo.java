package io.kopek.http;

/**
 * What a request turned out to be, for metrics: upstream's verb (GET, LIST, WATCH, POST, PUT, PATCH, DELETE,
 * DELETECOLLECTION) and resource, filled in while the request is routed.
 */
final class RequestInfo {
  String verb;
  String group = "";
  String version = "";
  String resource = "";
  String subresource = "";

  RequestInfo(String method) {
    this.verb = method;
  }
}
