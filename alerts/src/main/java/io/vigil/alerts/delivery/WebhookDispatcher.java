package io.vigil.alerts.delivery;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.deadletter.DeadLetters;
import io.vigil.alerts.health.Supervisor;
import io.vigil.alerts.lifecycle.AlertsTopics;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.view.SystemAlarm;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alert events to the webhooks of their care teams ({@code tenant/team}), at least once: a
 * record's offset is committed only after it was delivered or dead-lettered. A dead letter goes to
 * {@link AlertsTopics#WEBHOOK_DEAD_LETTER}, which the lifecycle turns into a DELIVERY_FAILED
 * technical alert.
 *
 * <p>Every endpoint has its own delivery loop: its own consumer group ({@code <application
 * id>-webhooks-<tenant>.<team>}), thread and HTTP client, so a slow or dead endpoint delays only
 * its own team's deliveries. Each loop runs under a {@link Supervisor}: when it fails (the broker
 * unreachable, a dead letter that cannot be written) it restarts with backoff from the last
 * committed event, shows DOWN in health and metrics meanwhile, and after {@value #ALARM_AFTER}
 * failures in a row the team sees a TECHNICAL alert until deliveries run again. A new group starts
 * at the end of the audit trail rather than replaying history to a new endpoint.
 */
@Context
public final class WebhookDispatcher {
  /** Component kind in health, metrics and dead letters; a loop is {@code webhooks:tenant/team}. */
  public static final String COMPONENT = "webhooks";

  static final int ALARM_AFTER = 3;
  private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
  private final List<Worker> workers = new ArrayList<>();

  public WebhookDispatcher(
      AlertsConfig config,
      WebhookConfig settings,
      DeliveryLog log,
      AlertMetrics metrics,
      DeadLetters deadLetters,
      AlertView view) {
    for (Map.Entry<String, WebhookConfig.Endpoint> e :
        new TreeMap<>(settings.endpoints()).entrySet()) {
      Worker w = new Worker(config, settings, e.getKey(), e.getValue(), log, metrics, deadLetters);
      w.supervisor =
          new Supervisor(
                  COMPONENT + ":" + e.getKey(),
                  w::run,
                  metrics,
                  config.restart().initialBackoff(),
                  config.restart().maxBackoff(),
                  ALARM_AFTER,
                  new SystemAlarm(
                      view,
                      "WEBHOOK_DELIVERY_FAILING",
                      Set.of(e.getKey()),
                      (failures, lastError) ->
                          "webhook deliveries of "
                              + e.getKey()
                              + " have stopped ("
                              + failures
                              + " failures, last "
                              + lastError
                              + "): paging systems fed by it get nothing until this clears"))
              .start();
      workers.add(w);
    }
  }

  /** The delivery loop of every endpoint, for health. */
  public List<Supervisor> loops() {
    return workers.stream().map(w -> w.supervisor).toList();
  }

  @PreDestroy
  void close() throws InterruptedException {
    for (Worker w : workers) {
      w.supervisor.stop(w::wake, Duration.ofSeconds(12));
    }
  }

  /** The delivery loop of one team's endpoint. */
  private static final class Worker {
    private final String teamKey;
    private final String component;
    private final WebhookConfig.Endpoint endpoint;
    private final WebhookSender sender;
    private final DeliveryLog log;
    private final AlertMetrics metrics;
    private final DeadLetters deadLetters;
    private final Properties consumerConfig = new Properties();
    private final Properties producerConfig;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    Supervisor supervisor;

    Worker(
        AlertsConfig config,
        WebhookConfig settings,
        String teamKey,
        WebhookConfig.Endpoint endpoint,
        DeliveryLog log,
        AlertMetrics metrics,
        DeadLetters deadLetters) {
      this.teamKey = teamKey;
      this.component = COMPONENT + ":" + teamKey;
      this.endpoint = endpoint;
      this.log = log;
      this.metrics = metrics;
      this.deadLetters = deadLetters;
      this.sender = new WebhookSender(settings, Clock.systemUTC());
      Properties c = consumerConfig;
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
      c.putAll(config.kafkaSecurity());
      c.put(
          ConsumerConfig.GROUP_ID_CONFIG,
          config.applicationId() + "-webhooks-" + teamKey.replace('/', '.'));
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
      // The lifecycle creates alerts.events with its partitions; a consumer must not create it
      // first with the broker's defaults.
      c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
      c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
      c.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 900_000);
      producerConfig = config.durableProducer();
      producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    }

    /** The end of alerts.events when this worker first ran; null before. */
    private Map<TopicPartition, Long> startEnds;

    void wake() {
      KafkaConsumer<byte[], byte[]> c = consumer;
      if (c != null) {
        c.wakeup();
      }
    }

    void run(Supervisor.Beat beat) throws Exception {
      try (KafkaConsumer<byte[], byte[]> c =
              new KafkaConsumer<>(
                  consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
          KafkaProducer<PatientKey, AlertEvent> deadLettered =
              new KafkaProducer<>(
                  producerConfig,
                  AlertsTopics.WEBHOOK_DEAD_LETTER.keySerde().serializer(),
                  AlertsTopics.WEBHOOK_DEAD_LETTER.valueSerde().serializer())) {
        consumer = c;
        if (!beat.running()) {
          return;
        }
        // Where a partition the group has never committed starts: the end of the topic as it was
        // when this worker first ran (the service's start), not the end when the group gets
        // round to assigning it. Everything written since the start is delivered, however late
        // the group forms; nothing from before (the history) is pushed again. A partition that
        // did not exist then (the topic is created by the lifecycle while this loop starts, or
        // grows later) holds only events written since, so it is read from its beginning.
        if (startEnds == null) {
          List<TopicPartition> all = new ArrayList<>();
          List<PartitionInfo> infos =
              c.partitionsFor(Topics.ALERTS_EVENTS.name(), Duration.ofSeconds(60));
          if (infos != null) {
            infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
          }
          startEnds = all.isEmpty() ? Map.of() : c.endOffsets(all);
        }
        Map<TopicPartition, Long> startAt = startEnds;
        // Running only once the group assigned this loop its partitions (possibly none) and each
        // one's start is fixed.
        boolean[] joined = {false};
        c.subscribe(
            List.of(Topics.ALERTS_EVENTS.name()),
            new org.apache.kafka.clients.consumer.ConsumerRebalanceListener() {
              @Override
              public void onPartitionsRevoked(java.util.Collection<TopicPartition> parts) {}

              @Override
              public void onPartitionsAssigned(java.util.Collection<TopicPartition> parts) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    c.committed(new java.util.HashSet<>(parts));
                List<TopicPartition> newSinceStart = new ArrayList<>();
                for (TopicPartition tp : parts) {
                  if (committed.get(tp) != null) {
                    continue;
                  }
                  Long start = startAt.get(tp);
                  if (start != null) {
                    c.seek(tp, start);
                  } else {
                    newSinceStart.add(tp);
                  }
                }
                if (!newSinceStart.isEmpty()) {
                  c.seekToBeginning(newSinceStart);
                }
                parts.forEach(c::position);
                joined[0] = true;
              }
            });
        while (beat.running()) {
          ConsumerRecords<byte[], byte[]> records = c.poll(Duration.ofMillis(500));
          if (joined[0]) {
            beat.ok();
          }
          for (ConsumerRecord<byte[], byte[]> r : records) {
            dispatch(r, deadLettered);
            beat.ok();
            c.commitSync(
                Map.of(
                    new TopicPartition(r.topic(), r.partition()),
                    new OffsetAndMetadata(r.offset() + 1)));
          }
        }
      } catch (WakeupException | InterruptedException e) {
        if (beat.running()) {
          throw e;
        }
      } finally {
        consumer = null;
        Thread.interrupted(); // a stop during a retry backoff must not leak into the next run
      }
    }

    private void dispatch(
        ConsumerRecord<byte[], byte[]> r, KafkaProducer<PatientKey, AlertEvent> deadLettered)
        throws Exception {
      if (r.key() == null || r.value() == null) {
        return;
      }
      PatientKey key;
      AlertEvent e;
      try {
        key = Topics.ALERTS_EVENTS.keySerde().deserializer().deserialize(r.topic(), r.key());
        e = Topics.ALERTS_EVENTS.valueSerde().deserializer().deserialize(r.topic(), r.value());
      } catch (RuntimeException undecodable) {
        // The alert view sets it aside to alerts.dead-letter; here it is counted and passed.
        deadLetters.skipped(component, r.topic(), r.partition(), r.offset(), undecodable);
        return;
      }
      if (e.getCareTeam() == null
          || !teamKey.equals(TeamKeys.of(key.getTenant(), e.getCareTeam()))
          || e.getCause() == AlertCause.DELIVERY_FAILED) {
        // Another team's event; and a delivery-failure alert is never pushed to the webhook
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
      deadLettered
          .send(new ProducerRecord<>(AlertsTopics.WEBHOOK_DEAD_LETTER.name(), key, e))
          .get(30, TimeUnit.SECONDS);
      metrics.delivery("dead_lettered");
      record(e, "DEAD_LETTERED", result.attempts(), result.lastError());
      LOG.warn(
          "webhook delivery of event {} to team {} dead-lettered after {} attempts: {}",
          e.getEventId(),
          teamKey,
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
  }
}
