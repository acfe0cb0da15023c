package io.vigil.ingest.kafka;

import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.metrics.IngestMetrics;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.schemas.topics.TopicSpec;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records and returns only once Kafka acknowledged every one of them (acks=all, idempotent
 * producer), or throws a 503 problem within {@link IngestConfig#kafkaTimeout()}.
 *
 * <p>One producer serves every request: it is thread-safe and batches records of concurrent
 * requests together. A failed request may leave some of its records written (Kafka acknowledged
 * them before another one failed); the client resends the whole batch, and the scoring topology
 * removes the duplicates by (sourceId, readingId).
 */
@Singleton
public final class KafkaSender {
  private final Producer<byte[], byte[]> producer;
  private final Duration timeout;
  private final Duration retryAfter;
  private final IngestMetrics metrics;

  public KafkaSender(KafkaClientSettings settings, IngestConfig config, IngestMetrics metrics) {
    this.timeout = config.kafkaTimeout();
    this.retryAfter = config.retryAfter();
    this.metrics = metrics;
    this.producer =
        new KafkaProducer<>(
            producerProperties(settings.bootstrapServers(), timeout, settings.producer()),
            new ByteArraySerializer(),
            new ByteArraySerializer());
  }

  /**
   * Producer settings: {@code vigil.ingest.producer.*} passed through, then: nothing is
   * acknowledged before every in-sync replica has it, retries cannot duplicate or reorder, and no
   * call blocks longer than the request's Kafka timeout.
   */
  public static Properties producerProperties(
      String bootstrapServers, Duration timeout, Map<String, String> extra) {
    int timeoutMs = (int) timeout.toMillis();
    int requestTimeoutMs = Math.max(1000, Math.min(5000, timeoutMs / 2));
    Properties props = new Properties();
    // Site settings first (TLS, SASL, compression, ...); the guarantees below always win.
    props.putAll(extra);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.putAll(KafkaConnection.fromEnvironment().securityProperties());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-ingest");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, requestTimeoutMs + 2));
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMs, 5000));
    return props;
  }

  /**
   * Sends every record to {@code topic} and waits for all acknowledgements.
   *
   * @throws ProblemException 503 with Retry-After when any record was not acknowledged in time
   */
  public <K, V> void sendAll(TopicSpec<K, V> topic, List<Map.Entry<K, V>> records) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
    try {
      for (Map.Entry<K, V> record : records) {
        byte[] key = topic.keySerde().serializer().serialize(topic.name(), record.getKey());
        byte[] value = topic.valueSerde().serializer().serialize(topic.name(), record.getValue());
        Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic.name(), key, value));
        if (ack.isDone()) {
          // A send that failed at once (no metadata within max.block.ms) fails the rest too:
          // stop here instead of waiting max.block.ms for each remaining record.
          ack.get();
        }
        acks.add(ack);
      }
      for (Future<RecordMetadata> ack : acks) {
        long left = deadline - System.nanoTime();
        ack.get(Math.max(0, left), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw unavailable(topic, e.getCause());
    } catch (TimeoutException | KafkaException e) {
      throw unavailable(topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(topic, e);
    }
  }

  private ProblemException unavailable(TopicSpec<?, ?> topic, Throwable cause) {
    metrics.producerError(topic.name(), cause);
    return new ProblemException(
        Problem.of(
                ProblemType.KAFKA_UNAVAILABLE,
                "Kafka did not acknowledge every record within "
                    + timeout.toMillis()
                    + " ms ("
                    + cause.getClass().getSimpleName()
                    + "); nothing of this request counts as accepted: resend it")
            .retryAfter(retryAfter));
  }

  @PreDestroy
  void close() {
    producer.close(Duration.ofSeconds(2));
  }
}
