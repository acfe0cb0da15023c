package io.vigil.testkit;

import org.testcontainers.kafka.KafkaContainer;

/** A single-broker KRaft cluster in Docker from the {@code apache/kafka} image (Testcontainers). */
final class ContainerCluster implements TestKafka {
  static final String IMAGE = "apache/kafka:4.1.1";
  private final KafkaContainer container;

  ContainerCluster() {
    this.container =
        new KafkaContainer(IMAGE)
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
            .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
            .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    container.start();
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public int brokerCount() {
    return 1;
  }

  @Override
  public String kind() {
    return "testcontainers";
  }

  @Override
  public void stop() {
    container.stop();
  }
}
