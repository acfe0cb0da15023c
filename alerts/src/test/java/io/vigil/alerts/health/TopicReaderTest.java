package io.vigil.alerts.health;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.config.ConfigContext;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The reader behind the alert view, the ward overview and the scoring watch, against a real broker:
 * partitions an operator adds to a topic while the service runs are read too, from their first
 * record, and the partitions already read are not read again.
 */
@WithKafka
class TopicReaderTest {

  @Test
  void shouldReadPartitionsAddedWhileRunningFromTheirStartAndNothingTwice(TestKafka kafka)
      throws Exception {
    String topic = TestKafka.unique("reader-growth");
    List<String> received = new CopyOnWriteArrayList<>();
    try (Admin admin = kafka.admin();
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                kafka.producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        ApplicationContext ctx =
            ConfigContext.start(Map.of("kafka.bootstrap.servers", kafka.bootstrapServers()))) {
      admin
          .createTopics(List.of(new NewTopic(topic, 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      send(producer, topic, 0, "before-0");
      send(producer, topic, 1, "before-1");
      TopicReader reader =
          new TopicReader(
              ctx.getBean(AlertsConfig.class),
              "reader-test",
              List.of(new TopicReader.Source(topic, TopicReader.From.BEGINNING)),
              Duration.ZERO,
              new TopicReader.Records() {
                @Override
                public void take(ConsumerRecord<byte[], byte[]> r, long now) {
                  received.add(r.partition() + ":" + new String(r.value(), StandardCharsets.UTF_8));
                }
              },
              Duration.ofSeconds(2));
      Supervisor supervisor =
          new Supervisor(
                  "reader-test",
                  reader::run,
                  new AlertMetrics(),
                  Duration.ofMillis(100),
                  Duration.ofSeconds(1),
                  3,
                  new Supervisor.Alarm() {
                    @Override
                    public void raise(String component, int failures, String lastError) {}

                    @Override
                    public void clear(String component) {}
                  })
              .start();
      try {
        await().atMost(Duration.ofSeconds(30)).until(reader::caughtUp);
        admin
            .createPartitions(Map.of(topic, NewPartitions.increaseTo(4)))
            .all()
            .get(30, TimeUnit.SECONDS);
        send(producer, topic, 2, "added-2");
        send(producer, topic, 3, "added-3");
        send(producer, topic, 1, "after-1");
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= 5);
        Thread.sleep(3_000); // two more checks: a partition read again would repeat its records
        assertEquals(
            List.of("0:before-0", "1:after-1", "1:before-1", "2:added-2", "3:added-3"),
            received.stream().sorted().toList(),
            "every record once, the added partitions' too");
        assertEquals(0, supervisor.restarts(), "found without a restart");
      } finally {
        supervisor.stop(reader::wakeup, Duration.ofSeconds(10));
      }
    }
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, int partition, String value)
      throws Exception {
    producer
        .send(new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8)))
        .get(30, TimeUnit.SECONDS);
  }
}
