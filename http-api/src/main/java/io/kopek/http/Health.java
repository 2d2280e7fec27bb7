package io.kopek.http;

import io.kopek.persistence.log.ListQuery;
import io.kopek.persistence.resource.ResourceType;
import io.kopek.persistence.store.ObjectStore;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * {@code /livez}, {@code /healthz} (the process serves), {@code /readyz} (the store answers: a list of
 * namespaces succeeds) and {@code /version}.
 */
public final class Health {
  public static final String MAJOR = "1";
  public static final String MINOR = "33";
  public static final String GIT_VERSION = "v1.33.0-kopek";

  private final ObjectStore store;
  private final ResourceType namespaces;
  private final byte[] version;

  public Health(ObjectStore store) {
    this.store = store;
    this.namespaces = store.registry().byPath("", "v1", "namespaces").orElse(null);
    this.version = JsonResponses.write(g -> {
      g.writeStartObject();
      g.writeStringField("major", MAJOR);
      g.writeStringField("minor", MINOR);
      g.writeStringField("emulationMajor", MAJOR);
      g.writeStringField("emulationMinor", MINOR);
      g.writeStringField("minCompatibilityMajor", MAJOR);
      g.writeStringField("minCompatibilityMinor", Integer.toString(Integer.parseInt(MINOR) - 1));
      g.writeStringField("gitVersion", GIT_VERSION);
      g.writeStringField("gitCommit", "");
      g.writeStringField("gitTreeState", "");
      g.writeStringField("buildDate", "1970-01-01T00:00:00Z");
      g.writeStringField("goVersion", "java" + System.getProperty("java.version", ""));
      g.writeStringField("compiler", "javac");
      g.writeStringField("platform", platform());
      g.writeEndObject();
    });
  }

  /** @return the response for a health path, or null when the path is not one */
  CompletionStage<HttpResponse> serve(String path) {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/version")) return CompletableFuture.completedFuture(JsonResponses.json(200, version));
    if (is(p, "/livez") || is(p, "/healthz")) return CompletableFuture.completedFuture(JsonResponses.text(200, "ok"));
    if (is(p, "/readyz")) return ready();
    return null;
  }

  private static boolean is(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }

  /** 200 "ok" once the store serves a list of namespaces, else 503 with the reason. */
  public CompletionStage<HttpResponse> ready() {
    if (namespaces == null) return CompletableFuture.completedFuture(JsonResponses.text(200, "ok"));
    return store.list(namespaces, new ListQuery("", "", "", "", "", 1, ""))
        .handle((listed, failure) -> failure == null ? JsonResponses.text(200, "ok")
            : JsonResponses.text(503, "[-]store failed: " + StatusResponses.unwrap(failure).getMessage()
                + "\nreadyz check failed"));
  }

  private static String platform() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
    if (os.startsWith("mac")) os = "darwin";
    else if (os.startsWith("windows")) os = "windows";
    else if (os.startsWith("linux")) os = "linux";
    arch = switch (arch) {
      case "x86_64", "amd64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      default -> arch;
    };
    return os + "/" + arch;
  }
}
