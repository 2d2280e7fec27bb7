package io.kopek.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The kubeconfig `up` writes so kubectl and client libraries find the API server. */
final class Kubeconfig {
  private Kubeconfig() {}

  static Path write(Path dataDir, String server) throws IOException {
    Files.createDirectories(dataDir);
    Path file = dataDir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kopek
          cluster:
            server: %s
        contexts:
        - name: kopek
          context:
            cluster: kopek
            user: kopek-admin
            namespace: default
        current-context: kopek
        users:
        - name: kopek-admin
          user: {}
        """.formatted(server));
    return file;
  }
}
