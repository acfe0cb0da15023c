package io.vigil.ingest.kafka;

import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A producer interceptor for tests, installed in the service's own producer: it tags each
 * observation with its reading id and records which reading ids the broker acknowledged. It sees
 * exactly what the producer sees, so "answered 2xx" can be checked against "acknowledged".
 */
public final class AckRecorder implements ProducerInterceptor<byte[], byte[]> {
  public static final Set<String> ACKNOWLEDGED = ConcurrentHashMap.newKeySet();
  private static final String HEADER = "test-reading-id";

  @Override
  public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
    if (record.topic().equals(Topics.VITALS_OBSERVATIONS.name())) {
      VitalObservation value =
          Topics.VITALS_OBSERVATIONS
              .valueSerde()
              .deserializer()
              .deserialize(record.topic(), record.value());
      record.headers().add(HEADER, value.getReadingId().getBytes(StandardCharsets.UTF_8));
    }
    return record;
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception, Headers headers) {
    if (exception == null && headers != null) {
      Header id = headers.lastHeader(HEADER);
      if (id != null) {
        ACKNOWLEDGED.add(new String(id.value(), StandardCharsets.UTF_8));
      }
    }
  }

  @Override
  public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

  @Override
  public void close() {}

  @Override
  public void configure(Map<String, ?> configs) {}
}
