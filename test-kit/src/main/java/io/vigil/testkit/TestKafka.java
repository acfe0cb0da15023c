package io.vigil.testkit;

import io.vigil.schemas.topics.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** A running Kafka cluster for a test, with helpers to talk to it through real clients. */
public interface TestKafka {

  /**
   * Starts brokers in this JVM (Kafka's KRaft test kit) outside JUnit, for the benchmarks; the
   * caller stops them.
   */
  static TestKafka startInJvm(int brokers) throws Exception {
    return new InJvmKraftCluster(brokers);
  }

  String bootstrapServers();

  int brokerCount();

  /** Which implementation runs the cluster: {@code testcontainers} or {@code in-jvm-kraft}. */
  String kind();

  /** Stops every broker; only allowed on a dedicated cluster. */
  void stop();

  /**
   * Stops one broker ({@code 0} to {@code brokerCount() - 1}) without stopping the others, as when
   * a broker's machine goes away; only on a dedicated cluster of three.
   */
  default void stopBroker(int index) {
    throw new UnsupportedOperationException(kind() + " cannot stop a single broker");
  }

  /**
   * Starts a broker that {@link #stopBroker} stopped again, on the same port and with the same log,
   * as when its machine comes back; returns once the broker is registered with the controller.
   */
  default void startBroker(int index) {
    throw new UnsupportedOperationException(kind() + " cannot start a single broker");
  }

  /** Creates an admin client; the caller closes it. */
  default Admin admin() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return Admin.create(props);
  }

  /** Producer settings as the services use them: acks=all, idempotent. */
  default Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
    return props;
  }

  /** Consumer settings from the earliest offset, read_committed, under a fresh group. */
  default Properties consumerProperties() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return props;
  }

  default <K, V> KafkaProducer<K, V> producer(TopicSpec<K, V> topic) {
    return new KafkaProducer<>(
        producerProperties(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  default <K, V> KafkaConsumer<K, V> consumer(TopicSpec<K, V> topic) {
    return new KafkaConsumer<>(
        consumerProperties(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
  }

  /** Sends records and waits until the cluster acknowledged each of them. */
  default <K, V> List<RecordMetadata> produce(TopicSpec<K, V> topic, Map<K, V> records)
      throws InterruptedException, ExecutionException, TimeoutException {
    List<RecordMetadata> acks = new ArrayList<>();
    try (KafkaProducer<K, V> producer = producer(topic)) {
      var futures = new ArrayList<java.util.concurrent.Future<RecordMetadata>>();
      records.forEach(
          (k, v) -> futures.add(producer.send(new ProducerRecord<>(topic.name(), k, v))));
      for (var f : futures) {
        acks.add(f.get(30, TimeUnit.SECONDS));
      }
    }
    return acks;
  }

  /**
   * Reads {@code topic} from the beginning until {@code count} records matching {@code filter} were
   * seen or {@code timeout} passed, and returns the matching records (possibly fewer than asked).
   */
  default <K, V> List<ConsumerRecord<K, V>> consume(
      TopicSpec<K, V> topic,
      int count,
      Duration timeout,
      java.util.function.Predicate<ConsumerRecord<K, V>> filter) {
    List<ConsumerRecord<K, V>> seen = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    try (KafkaConsumer<K, V> consumer = consumer(topic)) {
      consumer.subscribe(List.of(topic.name()));
      while (seen.size() < count && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(200))) {
          if (filter.test(record)) {
            seen.add(record);
          }
        }
      }
    }
    return seen;
  }

  default <K, V> List<ConsumerRecord<K, V>> consume(
      TopicSpec<K, V> topic, int count, Duration timeout) {
    return consume(topic, count, timeout, r -> true);
  }

  /**
   * A random identifier for test data that must not collide with other classes' on a shared
   * cluster.
   */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
  }

  /**
   * Waits up to {@code atMost} until consumer group {@code groupId} has committed, on every
   * partition of {@code topics}, all that was committed to them when called (read_committed end
   * offsets): the group has processed every input record produced so far.
   */
  default void awaitCommitted(String groupId, Duration atMost, String... topics) throws Exception {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin
          .describeTopics(List.of(topics))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .values()
          .forEach(
              d ->
                  d.partitions()
                      .forEach(
                          p ->
                              latest.put(
                                  new TopicPartition(d.name(), p.partition()),
                                  OffsetSpec.latest())));
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      Instant deadline = Instant.now().plus(atMost);
      while (true) {
        Map<TopicPartition, OffsetAndMetadata> committed =
            admin
                .listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
        boolean done =
            ends.entrySet().stream()
                .allMatch(
                    e ->
                        e.getValue() == 0
                            || (committed.get(e.getKey()) != null
                                && committed.get(e.getKey()).offset() >= e.getValue()));
        if (done) {
          return;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new TimeoutException(
              "group "
                  + groupId
                  + " has not committed "
                  + ends
                  + " within "
                  + atMost
                  + "; committed "
                  + committed);
        }
        Thread.sleep(100);
      }
    }
  }
}
