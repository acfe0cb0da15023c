package io.vigil.alerts.delivery;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.lifecycle.AlertsTopics;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert events to the webhooks of their care teams, at least once: a record's offset is
 * committed only after it was delivered or dead-lettered. A dead letter goes to {@link
 * AlertsTopics#WEBHOOK_DEAD_LETTER}, which the lifecycle turns into a DELIVERY_FAILED technical
 * alert. Runs only when some team has a webhook; a new consumer group starts at the end of the
 * audit trail rather than replaying history to a new endpoint.
 */
@Context
public final class WebhookDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private final WebhookSettings settings;
  private final WebhookSender sender;
  private final DeliveryLog log;
  private final AlertMetrics metrics;
  private final KafkaConsumer<PatientKey, AlertEvent> consumer;
  private final KafkaProducer<PatientKey, AlertEvent> deadLetters;
  private final Thread thread;
  private volatile boolean running = true;

  public WebhookDispatcher(AlertsConfig config, DeliveryLog log, AlertMetrics metrics) {
    this.settings = config.webhooks();
    this.log = log;
    this.metrics = metrics;
    this.sender = new WebhookSender(settings, Clock.systemUTC());
    if (settings.endpoints().isEmpty()) {
      consumer = null;
      deadLetters = null;
      thread = null;
      return;
    }
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.applicationId() + "-webhooks");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 900_000);
    consumer =
        new KafkaConsumer<>(
            c,
            Topics.ALERTS_EVENTS.keySerde().deserializer(),
            Topics.ALERTS_EVENTS.valueSerde().deserializer());
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    deadLetters =
        new KafkaProducer<>(
            p,
            AlertsTopics.WEBHOOK_DEAD_LETTER.keySerde().serializer(),
            AlertsTopics.WEBHOOK_DEAD_LETTER.valueSerde().serializer());
    thread = new Thread(this::run, "alerts-webhooks");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      consumer.subscribe(List.of(Topics.ALERTS_EVENTS.name()));
      while (running) {
        for (ConsumerRecord<PatientKey, AlertEvent> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.key() != null && r.value() != null) {
            dispatch(r.key(), r.value());
          }
          consumer.commitSync(
              Map.of(
                  new TopicPartition(r.topic(), r.partition()),
                  new OffsetAndMetadata(r.offset() + 1)));
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (Exception e) {
      LOG.error("webhook dispatcher stopped", e);
    } finally {
      Thread.interrupted(); // let the clients close cleanly after an interrupted backoff
      consumer.close(Duration.ofSeconds(5));
      deadLetters.close(Duration.ofSeconds(5));
    }
  }

  private void dispatch(PatientKey key, AlertEvent e) throws Exception {
    WebhookSettings.Endpoint endpoint = settings.endpoints().get(e.getCareTeam());
    if (endpoint == null || e.getCause() == AlertCause.DELIVERY_FAILED) {
      // No webhook for the team; and a delivery-failure alert is never pushed to the webhook
      // that failed (it would fail again and loop).
      return;
    }
    String patient = PatientKeys.format(key);
    record(e, "PENDING", 0, null);
    int[] failed = {0};
    WebhookSender.Result result =
        sender.deliver(
            endpoint,
            e.getEventId(),
            e.getType().name(),
            WebhookPayload.of(patient, e),
            error -> {
              failed[0]++;
              metrics.delivery("failed_attempt");
              record(e, "RETRYING", failed[0], error);
            });
    if (result.delivered()) {
      metrics.delivery("delivered");
      record(e, "DELIVERED", result.attempts(), null);
      return;
    }
    deadLetters
        .send(new ProducerRecord<>(AlertsTopics.WEBHOOK_DEAD_LETTER.name(), key, e))
        .get(30, TimeUnit.SECONDS);
    metrics.delivery("dead_lettered");
    record(e, "DEAD_LETTERED", result.attempts(), result.lastError());
    LOG.warn(
        "webhook delivery of event {} to team {} dead-lettered after {} attempts: {}",
        e.getEventId(),
        e.getCareTeam(),
        result.attempts(),
        result.lastError());
  }

  private void record(AlertEvent e, String state, int attempts, String error) {
    log.record(
        new DeliveryStatus(
            e.getEventId(),
            e.getAlertId(),
            e.getType().name(),
            e.getCareTeam(),
            state,
            attempts,
            error,
            Instant.now()));
  }

  @PreDestroy
  void close() throws InterruptedException {
    if (thread != null) {
      running = false;
      consumer.wakeup();
      thread.join(2_000);
      if (thread.isAlive()) {
        thread.interrupt(); // sleeping in a retry backoff
        thread.join(10_000);
      }
    }
  }
}
