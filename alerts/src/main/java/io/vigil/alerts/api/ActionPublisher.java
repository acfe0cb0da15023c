package io.vigil.alerts.api;

import io.vigil.alerts.config.AlertsConfig;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes nurse commands to alerts.actions and waits until Kafka acknowledged them. */
@Singleton
public final class ActionPublisher {
  private final KafkaProducer<PatientKey, AlertAction> producer;

  public ActionPublisher(AlertsConfig config) {
    Properties p = config.durableProducer();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
    producer =
        new KafkaProducer<>(
            p,
            Topics.ALERTS_ACTIONS.keySerde().serializer(),
            Topics.ALERTS_ACTIONS.valueSerde().serializer());
  }

  /** Returns normally only once the action is durably on the topic. */
  public void publish(String patient, AlertAction action)
      throws InterruptedException, ExecutionException, TimeoutException {
    producer
        .send(
            new ProducerRecord<>(Topics.ALERTS_ACTIONS.name(), PatientKeys.parse(patient), action))
        .get(15, TimeUnit.SECONDS);
  }

  @PreDestroy
  void close() {
    producer.close();
  }
}
