package io.vigil.schemas.access;

import io.vigil.schemas.audit.AuditEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@link AuditEvent}s to {@code audit.reads} and waits for Kafka's acknowledgement, for
 * every service that serves patient data: a read whose record is not acknowledged within the
 * timeout must not be served. The producer (idempotent, {@code acks=all}) is created on the first
 * record, so a service starts without waiting for Kafka.
 */
public final class AuditTrail implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

  private final Properties clientProperties;
  private final String clientId;
  private final Duration timeout;
  private volatile Producer<PatientKey, AuditEvent> producer;

  /**
   * @param clientProperties bootstrap servers and transport security of the service's clients
   * @param clientId the producer's client id
   * @param timeout how long a record may wait for its acknowledgement (and for metadata)
   */
  public AuditTrail(Properties clientProperties, String clientId, Duration timeout) {
    this.clientProperties = clientProperties;
    this.clientId = clientId;
    this.timeout = timeout;
  }

  /**
   * Writes {@code event} keyed by {@code key} and waits for the acknowledgement.
   *
   * @return false when Kafka did not acknowledge it within the timeout or the wait was interrupted
   *     (logged with {@code what}): the read must not be served
   */
  public boolean write(PatientKey key, AuditEvent event, String what) {
    try {
      producer()
          .send(new ProducerRecord<>(Topics.AUDIT_READS.name(), key, event))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.error("cannot write the audit record of {}: interrupted while waiting for Kafka", what);
      return false;
    } catch (ExecutionException | TimeoutException e) {
      LOG.error("cannot write the audit record of {}: {}", what, e.toString());
      return false;
    }
  }

  private Producer<PatientKey, AuditEvent> producer() {
    Producer<PatientKey, AuditEvent> p = producer;
    if (p == null) {
      synchronized (this) {
        if (producer == null) {
          Properties props = new Properties();
          props.putAll(clientProperties);
          props.put(ProducerConfig.ACKS_CONFIG, "all");
          props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
          props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
          props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
          props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
          props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
          props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
          producer =
              new KafkaProducer<>(
                  props,
                  Topics.AUDIT_READS.keySerde().serializer(),
                  Topics.AUDIT_READS.valueSerde().serializer());
        }
        p = producer;
      }
    }
    return p;
  }

  @Override
  public void close() {
    Producer<PatientKey, AuditEvent> p = producer;
    if (p != null) {
      p.close(Duration.ofSeconds(5));
    }
  }
}
