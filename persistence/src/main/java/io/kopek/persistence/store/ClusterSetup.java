package io.kopek.persistence.store;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cluster membership settings for one kopek member. Every member runs the split-brain resolver with keep-majority:
 * a side that sees itself in the minority downs itself, so two control planes never act at once.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  /**
   * @param seeds host:port of seed members; empty to form a cluster of one (the member joins itself)
   */
  public static Config member(String host, int port, List<String> seeds, Set<String> roles) {
    String seedList = seeds.stream().map(s -> "\"pekko://kopek@" + s + "\"").collect(Collectors.joining(","));
    String roleList = roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(","));
    return ConfigFactory.parseString("""
        pekko.actor.provider = cluster
        pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
        pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
        pekko.loglevel = INFO
        pekko.cluster.sharding.number-of-shards = 128
        pekko.cluster.sharding.passivation.default-idle-strategy.idle-entity.timeout = 2m
        pekko.remote.artery.canonical.hostname = "%s"
        pekko.remote.artery.canonical.port = %d
        pekko.cluster.roles = [%s]
        pekko.cluster.seed-nodes = [%s]
        pekko.cluster.downing-provider-class = "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider"
        pekko.cluster.split-brain-resolver.active-strategy = keep-majority
        pekko.cluster.split-brain-resolver.stable-after = 7s
        """.formatted(host, port, roleList, seedList));
  }
}
