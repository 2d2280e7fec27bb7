package io.kopek.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The objects written: ConfigMaps of about {@code objectBytes} bytes of JSON as a client sends them (etcd gets the
 * same JSON as its value). Payload strings are drawn from a fixed pool so that making them costs nothing.
 */
final class Payloads {
  static final String MERGE_PATCH = "application/merge-patch+json";
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final String[] pool = new String[64];
  final int payloadChars;
  final int objectBytes;

  Payloads(int objectBytes) {
    // the size of an object with a typical name and an empty payload, to size the payload
    int empty = json(configMap("bench", "c2-311-10000", "")).length;
    this.payloadChars = Math.max(16, objectBytes - empty);
    Random r = new Random(42);
    for (int i = 0; i < pool.length; i++) {
      StringBuilder sb = new StringBuilder(payloadChars);
      for (int j = 0; j < payloadChars; j++) sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
      pool[i] = sb.toString();
    }
    this.objectBytes = json(configMap("bench", "c2-311-10000", pool[0])).length;
  }

  String payload(long seq) {
    return pool[(int) (seq & (pool.length - 1))];
  }

  static ObjectNode configMap(String namespace, String name, String payload) {
    ObjectNode cm = Json.object().put("apiVersion", "v1").put("kind", "ConfigMap");
    ObjectNode meta = cm.putObject("metadata").put("name", name).put("namespace", namespace);
    meta.putObject("labels").put("app", "store-bench");
    cm.putObject("data").put("payload", payload);
    return cm;
  }

  static byte[] json(ObjectNode node) {
    return Json.bytes(node);
  }

  static String mergePatch(String payload) {
    return "{\"data\":{\"payload\":\"" + payload + "\"}}";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
