package io.vigil.testkit;

import java.util.Comparator;
import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Brokers in this JVM from Kafka's own test kit ({@code kafka-test-common-runtime}) in KRaft mode:
 * one combined node, or three brokers beside one controller. Kept behind {@link TestKafka}: the kit
 * is internal to Kafka and may change.
 */
final class InJvmKraftCluster implements TestKafka {
  private final KafkaClusterTestKit cluster;
  private final int brokers;

  InJvmKraftCluster(int brokers) throws Exception {
    this.brokers = brokers;
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            // One controller: a three-voter quorum in one JVM fails on UpdateRaftVoter in 4.1.
            .setCombined(brokers == 1)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(1)
            // The kit defaults to Kafka's newest, unreleased metadata version; run the released
            // one.
            .setBootstrapMetadataVersion(MetadataVersion.LATEST_PRODUCTION)
            .build();
    short replication = (short) Math.min(3, brokers);
    this.cluster =
        new KafkaClusterTestKit.Builder(nodes)
            .setConfigProp("offsets.topic.replication.factor", Short.toString(replication))
            .setConfigProp("transaction.state.log.replication.factor", Short.toString(replication))
            .setConfigProp(
                "transaction.state.log.min.isr", Integer.toString(Math.min(2, replication)))
            .setConfigProp("min.insync.replicas", Integer.toString(Math.min(2, replication)))
            .setConfigProp("default.replication.factor", Short.toString(replication))
            .setConfigProp("group.initial.rebalance.delay.ms", "0")
            .setConfigProp("num.partitions", "1")
            .build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
  }

  @Override
  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  @Override
  public int brokerCount() {
    return brokers;
  }

  @Override
  public String kind() {
    return "in-jvm-kraft";
  }

  /** Shuts one broker down; leadership of its partitions moves to the others. */
  @Override
  public void stopBroker(int index) {
    BrokerServer broker = broker(index);
    broker.shutdown();
    broker.awaitShutdown();
  }

  /**
   * Starts a stopped broker again: the kit binds it to the port it had (its listener's port was
   * fixed when the cluster was built) and it reads its log back.
   */
  @Override
  public void startBroker(int index) {
    broker(index).startup();
  }

  private BrokerServer broker(int index) {
    return cluster.brokers().values().stream()
        .sorted(Comparator.comparingInt(b -> b.config().nodeId()))
        .toList()
        .get(index);
  }

  @Override
  public void stop() {
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop the in-JVM Kafka cluster", e);
    }
  }
}
