package io.kopek.persistence.log;

import static io.kopek.persistence.store.TestStore.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kopek.persistence.entity.ObjectEntity;
import io.kopek.persistence.json.Json;
import io.kopek.persistence.store.ObjectStore;
import io.kopek.persistence.store.TestStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a filtered watcher sees as objects move in and out of its selector, and lists that page consistently. */
class ListAndFilteredWatchTest {
  static ActorTestKit kit;
  static ObjectStore store;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("kopek", TestStore.memberConfig("memory", Path.of("/tmp"), 0, List.of(), ""));
    store = TestStore.open(kit, "memory", true);
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  @Test
  void objectsLeavingTheSelectorAreDeletedForTheWatcherAndAddedWhenTheyReturn() {
    long from = await(store.list(CONFIGMAPS, ListQuery.all("sel"))).resourceVersion();
    TestProbe<WatchMessage> watcher = kit.createTestProbe();
    store.watch(CONFIGMAPS, new WatchQuery("sel", "tier=web", "", Long.toString(from), false), watcher.getRef());
    watcher.expectMessageClass(WatchMessage.Started.class);

    ObjectNode web = labelled("mover", "web");
    ObjectNode v1 = await(store.create(CONFIGMAPS, "sel", web, false));
    await(store.create(CONFIGMAPS, "sel", labelled("bystander", "db"), false));
    ObjectNode v2 = await(store.update(CONFIGMAPS, "sel", "mover", relabel(v1, "db"), "", false));
    ObjectNode v3 = await(store.update(CONFIGMAPS, "sel", "mover", relabel(v2, "web"), "", false));
    ObjectNode edited = v3.deepCopy();
    ((ObjectNode) edited.get("data")).put("k", "changed");
    await(store.update(CONFIGMAPS, "sel", "mover", edited, "", false));
    await(store.delete(CONFIGMAPS, "sel", "bystander", ObjectEntity.DeleteOptions.defaults()));
    await(store.delete(CONFIGMAPS, "sel", "mover", ObjectEntity.DeleteOptions.defaults()));

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WatchMessage.Event e = watcher.expectMessageClass(WatchMessage.Event.class, Duration.ofSeconds(10));
      seen.add(e.type() + " " + Json.name(e.object()));
    }
    assertEquals(List.of("ADDED mover", "DELETED mover", "ADDED mover", "MODIFIED mover", "DELETED mover"), seen,
        "the bystander never matched, so the watcher never hears of it");
    watcher.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void laterPagesShowTheListAsItWasAtTheFirstPage() {
    for (int i = 0; i < 6; i++) await(store.create(CONFIGMAPS, "pages", configMap("cm-" + i, "v", "0"), false));
    ResourceLog.Listed first = await(store.list(CONFIGMAPS, new ListQuery("pages", "", "", "", "", 3, "")));
    assertEquals(3, first.items().size());
    assertEquals(3L, first.remaining());

    await(store.create(CONFIGMAPS, "pages", configMap("cm-9", "v", "new"), false));
    await(store.delete(CONFIGMAPS, "pages", "cm-4", ObjectEntity.DeleteOptions.defaults()));
    ObjectNode cm5 = await(store.get(CONFIGMAPS, "pages", "cm-5")).deepCopy();
    ((ObjectNode) cm5.get("data")).put("v", "changed");
    await(store.update(CONFIGMAPS, "pages", "cm-5", cm5, "", false));

    ResourceLog.Listed second = await(store.list(CONFIGMAPS,
        new ListQuery("pages", "", "", "", "", 3, first.continueToken())));
    assertEquals(first.resourceVersion(), second.resourceVersion());
    assertEquals(List.of("cm-3", "cm-4", "cm-5"), second.items().stream().map(Json::name).toList());
    assertEquals("0", Json.text(second.items().get(2), "data.v"), "cm-5 as it was when the list began");
    assertNull(second.continueToken());

    ResourceLog.Listed fresh = await(store.list(CONFIGMAPS, ListQuery.all("pages")));
    assertEquals(List.of("cm-0", "cm-1", "cm-2", "cm-3", "cm-5", "cm-9"), fresh.items().stream().map(Json::name).toList());
  }

  private static ObjectNode labelled(String name, String tier) {
    ObjectNode cm = configMap(name, "k", "v");
    Json.metadata(cm).putObject("labels").put("tier", tier);
    return cm;
  }

  private static ObjectNode relabel(ObjectNode current, String tier) {
    ObjectNode next = current.deepCopy();
    Json.metadata(next).putObject("labels").put("tier", tier);
    return next;
  }
}
