package io.kopek.multijvm;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One forked kopek JVM running the shaded launcher jar, as an operator would run it. */
public final class KopekProcess implements AutoCloseable {
  static final Path ROOT = findRoot();
  static final Path JAR = ROOT.resolve("launcher/target/kopek.jar");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final Path log;
  public final int apiPort;

  private KopekProcess(Process process, Path log, int apiPort) {
    this.process = process;
    this.log = log;
    this.apiPort = apiPort;
  }

  /** Starts {@code kopek <args> --api-port <free port>} and waits until /readyz answers 200. */
  public static KopekProcess start(Path workDir, String name, List<String> args) throws Exception {
    if (!Files.exists(JAR)) throw new IllegalStateException(JAR + " is missing: run the tests with `mvn verify`");
    int port = freePort();
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xms128m", "-Xmx768m", "-Dkopek.kamon=false", "-jar", JAR.toString()));
    cmd.addAll(args);
    cmd.addAll(List.of("--api-port", Integer.toString(port)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    KopekProcess k = new KopekProcess(p, log, port);
    k.awaitReady(Duration.ofSeconds(180));
    return k;
  }

  /** Starts a member without an API (an agent) and waits until its output shows {@code readyLine}. */
  public static KopekProcess startAgent(Path workDir, String name, List<String> args, String readyLine) throws Exception {
    if (!Files.exists(JAR)) throw new IllegalStateException(JAR + " is missing: run the tests with `mvn verify`");
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xms64m", "-Xmx384m", "-Dkopek.kamon=false", "-jar", JAR.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    KopekProcess k = new KopekProcess(p, log, -1);
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!Files.readString(log).contains(readyLine)) {
      if (!p.isAlive()) throw new IllegalStateException(name + " exited with " + p.exitValue() + ":\n" + k.tail());
      if (System.nanoTime() > deadline) throw new IllegalStateException(name + " never printed \"" + readyLine + "\":\n" + k.tail());
      Thread.sleep(200);
    }
    return k;
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + apiPort + path);
  }

  public HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("kopek exited with " + process.exitValue() + ":\n" + tail());
      try {
        if (send("GET", "/readyz", null).statusCode() == 200) return;
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("kopek was not ready within " + timeout + ":\n" + tail());
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash. */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the graceful path (coordinated shutdown). */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
    return process.exitValue();
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) kill9();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String javaBin() {
    Path j17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
    return Files.isExecutable(j17) ? j17.toString() : "java";
  }

  private static Path findRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("kopek"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("cannot find the kopek checkout from " + Path.of("").toAbsolutePath());
    return p;
  }
}
