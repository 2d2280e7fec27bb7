package io.kopek.http;

import io.kopek.persistence.store.StoreError;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.Query;

/** Query parameters as upstream decodes them (Go's strconv rules for booleans and integers). */
final class QueryParams {
  private QueryParams() {}

  static String text(Query q, String name) {
    return q.get(name).orElse("");
  }

  /** Go's strconv.ParseBool: 1 t T TRUE true True / 0 f F FALSE false False; absent or empty is false. */
  static boolean bool(Query q, String name) {
    Optional<String> v = q.get(name);
    if (v.isEmpty() || v.get().isEmpty()) return false;
    return switch (v.get()) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> false;
      default -> throw StoreError.badRequest("strconv.ParseBool: parsing \"" + v.get() + "\": invalid syntax")
          .exception();
    };
  }

  /** A whole number, or the default when absent or empty. */
  static long number(Query q, String name, long otherwise) {
    Optional<String> v = q.get(name);
    if (v.isEmpty() || v.get().isEmpty()) return otherwise;
    try {
      return Long.parseLong(v.get());
    } catch (NumberFormatException e) {
      throw StoreError.badRequest("strconv.ParseInt: parsing \"" + v.get() + "\": invalid syntax").exception();
    }
  }

  static Long optionalNumber(Query q, String name) {
    Optional<String> v = q.get(name);
    if (v.isEmpty() || v.get().isEmpty()) return null;
    return number(q, name, 0);
  }

  /**
   * {@code dryRun=All}: true; absent: false; any other value is refused as upstream's option validation does.
   *
   * @param optionsKind CreateOptions, UpdateOptions, PatchOptions or DeleteOptions, for the error message
   */
  static boolean dryRun(Query q, String optionsKind) {
    List<String> values = q.getAll("dryRun");
    return dryRun(values, optionsKind);
  }

  static boolean dryRun(List<String> values, String optionsKind) {
    boolean dry = false;
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (v.isEmpty()) continue;
      if (!v.equals("All")) {
        throw StatusResponses.invalidOptions(optionsKind, "dryRun[" + i + "]",
            "Unsupported value: \"" + v + "\": supported values: \"All\"").exception();
      }
      dry = true;
    }
    return dry;
  }

  /**
   * Upstream's ListOptions validation: resourceVersionMatch needs a resourceVersion and no continue, and takes
   * Exact or NotOlderThan; sendInitialEvents (watch lists) is refused, as upstream does without the WatchList
   * feature, so clients fall back to list and watch.
   */
  static void validateListOptions(Query q, boolean watch) {
    String match = text(q, "resourceVersionMatch");
    String rv = text(q, "resourceVersion");
    if (!text(q, "sendInitialEvents").isEmpty()) {
      throw StatusResponses.invalidOptions("ListOptions", "sendInitialEvents", "FieldValueForbidden",
          "Forbidden: sendInitialEvents is forbidden for " + (watch ? "watch unless the WatchList feature gate is "
              + "enabled" : "list")).exception();
    }
    if (watch || match.isEmpty()) return;
    if (rv.isEmpty()) {
      throw StatusResponses.invalidOptions("ListOptions", "resourceVersionMatch", "FieldValueForbidden",
          "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided").exception();
    }
    if (!text(q, "continue").isEmpty()) {
      throw StatusResponses.invalidOptions("ListOptions", "resourceVersionMatch", "FieldValueForbidden",
          "Forbidden: resourceVersionMatch is forbidden when continue is provided").exception();
    }
    switch (match) {
      case "NotOlderThan" -> { }
      case "Exact" -> {
        if (rv.equals("0")) {
          throw StatusResponses.invalidOptions("ListOptions", "resourceVersionMatch", "FieldValueForbidden",
              "Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"").exception();
        }
      }
      default -> throw StatusResponses.invalidOptions("ListOptions", "resourceVersionMatch", "Unsupported value: \""
          + match + "\": supported values: \"Exact\", \"NotOlderThan\", \"\"").exception();
    }
  }

  /** Strict, Warn, Ignore or absent; accepted, not yet acted upon beyond validation of the value. */
  static String fieldValidation(Query q, String optionsKind) {
    String v = text(q, "fieldValidation");
    switch (v) {
      case "", "Ignore", "Warn", "Strict" -> {
        return v;
      }
      default -> throw StatusResponses.invalidOptions(optionsKind, "fieldValidation",
          "Unsupported value: \"" + v + "\": supported values: \"Ignore\", \"Warn\", \"Strict\"").exception();
    }
  }
}
