package io.vigil.alerts.deadletter;

import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets aside records the service cannot decode or process: each goes to {@code alerts.dead-letter}
 * byte for byte, with headers naming the reason and its origin (topic, partition, offset,
 * component), and is counted in {@code vigil_alerts_dead_letters_total}. The reason is the
 * exception's class and message, cut to 500 characters; the payload is never logged.
 */
@Singleton
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final int MAX_REASON = 500;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AlertMetrics metrics;

  public DeadLetters(AlertsConfig config, AlertMetrics metrics) {
    this.metrics = metrics;
    Properties p = config.durableProducer();
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Writes the record to the dead-letter topic and waits until the broker has it (up to 30 s);
   * throws when it could not, so the caller does not move past a record that was neither handled
   * nor set aside.
   */
  public void send(
      String component,
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      Throwable reason)
      throws Exception {
    RecordHeaders headers = new RecordHeaders();
    headers.add(Topics.DEAD_LETTER_REASON, utf8(reason(reason)));
    headers.add(Topics.DEAD_LETTER_TOPIC, utf8(topic));
    headers.add(Topics.DEAD_LETTER_PARTITION, utf8(Integer.toString(partition)));
    headers.add(Topics.DEAD_LETTER_OFFSET, utf8(Long.toString(offset)));
    headers.add(Topics.DEAD_LETTER_COMPONENT, utf8(component));
    producer
        .send(
            new ProducerRecord<>(Topics.ALERTS_DEAD_LETTER.name(), null, null, key, value, headers))
        .get(30, TimeUnit.SECONDS);
    metrics.deadLettered(topic, component);
    LOG.warn(
        "{}: record {}-{}@{} set aside to {}: {}",
        component,
        topic,
        partition,
        offset,
        Topics.ALERTS_DEAD_LETTER.name(),
        reason(reason));
  }

  /** Counts a record that was skipped without being written to the dead-letter topic. */
  public void skipped(String component, String topic, int partition, long offset, Throwable why) {
    metrics.deadLettered(topic, component);
    LOG.warn("{}: record {}-{}@{} skipped: {}", component, topic, partition, offset, reason(why));
  }

  static String reason(Throwable t) {
    String text = t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return text.length() > MAX_REASON ? text.substring(0, MAX_REASON) : text;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @PreDestroy
  void close() {
    producer.close();
  }
}
