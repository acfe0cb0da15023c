package io.vigil.scoring.app.health;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.kit.streams.ThreadFailures;
import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.topics.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the rest of the pipeline, every {@code interval}, whether this scoring instance is doing
 * its work and which partitions of {@code vitals.observations} it scores: one {@link ServiceStatus}
 * on {@code services.status}. The alerts service adds up the reports of all instances and raises a
 * technical alert to nurses when some partitions, and so some patients, are scored by nobody. On
 * close it sends a last report saying STOPPED.
 *
 * <p>A report that cannot be sent is counted ({@code vigil_scoring_status_reports_failed_total})
 * and logged; the next one is tried at the next interval. The time of the last report sent is a
 * gauge, so a reporter that has stopped shows in {@code /metrics}.
 */
public final class StatusReporter implements AutoCloseable {
  /** Service name in the reports. */
  public static final String SERVICE = "scoring";

  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

  private final KafkaStreams streams;
  private final ThreadFailures failures;
  private final String application;
  private final String instance;
  private final Duration interval;
  private final KafkaProducer<String, ServiceStatus> producer;
  private final ScheduledExecutorService timer;
  private final Counter failed;
  private final Gauge lastSent;
  private volatile int inputPartitions;

  /**
   * Starts reporting at once and then every {@code interval}.
   *
   * @param clientProperties bootstrap servers and transport security of the service's clients
   */
  public StatusReporter(
      KafkaStreams streams,
      ThreadFailures failures,
      String application,
      String instance,
      Duration interval,
      Properties clientProperties,
      PrometheusRegistry registry) {
    this.streams = streams;
    this.failures = failures;
    this.application = application;
    this.instance = instance;
    this.interval = interval;
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "vigil-scoring-status-" + instance);
    p.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(interval.toMillis() * 3, 30_000));
    p.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(interval.toMillis() * 2, 20_000));
    this.producer =
        new KafkaProducer<>(
            p, new StringSerializer(), Topics.SERVICES_STATUS.valueSerde().serializer());
    this.failed =
        Counter.builder()
            .name("vigil_scoring_status_reports_failed_total")
            .help("Status reports of this instance that could not be written to services.status.")
            .register(registry);
    this.lastSent =
        Gauge.builder()
            .name("vigil_scoring_status_last_report_timestamp_seconds")
            .help("When this instance last wrote its status report to services.status.")
            .register(registry);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vigil-scoring-status");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleAtFixedRate(this::reportSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The key of an instance's reports: service, application and instance. */
  public static String key(String application, String instance) {
    return SERVICE + "/" + application + "/" + instance;
  }

  private void reportSafely() {
    // A periodic task that throws is never run again: nothing may escape.
    try {
      send(status(streams.state().name(), Instant.now()));
    } catch (RuntimeException e) {
      failed.inc();
      LOG.warn("cannot take or send the status report: {}", e.toString());
    }
  }

  /** The report of this instance as it is at {@code now}. */
  ServiceStatus status(String state, Instant now) {
    TreeSet<Integer> active = new TreeSet<>();
    TreeSet<Integer> standby = new TreeSet<>();
    int alive = 0;
    KafkaStreams.State s = streams.state();
    if (s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING) {
      for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
        alive++;
        thread.activeTasks().forEach(t -> inputs(t.topicPartitions(), active));
        thread.standbyTasks().forEach(t -> inputs(t.topicPartitions(), standby));
      }
    }
    int recent = failures.recent(now);
    String reason = StreamsHealth.reason(s, recent, failures.limit());
    boolean stopping = "STOPPED".equals(state);
    return ServiceStatus.newBuilder()
        .setService(SERVICE)
        .setApplication(application)
        .setInstance(instance)
        .setTime(now)
        .setIntervalMillis(interval.toMillis())
        .setState(state)
        .setProcessing(!stopping && reason == null)
        .setInputTopic(Topics.VITALS_OBSERVATIONS.name())
        .setInputPartitions(inputPartitions())
        .setActivePartitions(stopping ? List.of() : new ArrayList<>(active))
        .setStandbyPartitions(stopping ? List.of() : new ArrayList<>(standby))
        .setThreadsAlive(stopping ? 0 : alive)
        .setThreadsReplacedRecently(recent)
        .setThreadsReplacedLimit(failures.limit())
        .setReason(stopping ? "the instance is shutting down" : reason)
        .build();
  }

  private int inputPartitions() {
    if (inputPartitions == 0) {
      inputPartitions = producer.partitionsFor(Topics.VITALS_OBSERVATIONS.name()).size();
    }
    return inputPartitions;
  }

  private static void inputs(Iterable<TopicPartition> partitions, TreeSet<Integer> into) {
    for (TopicPartition tp : partitions) {
      if (tp.topic().equals(Topics.VITALS_OBSERVATIONS.name())) {
        into.add(tp.partition());
      }
    }
  }

  private void send(ServiceStatus status) {
    producer.send(
        new ProducerRecord<>(Topics.SERVICES_STATUS.name(), key(application, instance), status),
        (meta, e) -> {
          if (e != null) {
            failed.inc();
            LOG.warn("status report not written: {}", e.toString());
          } else {
            lastSent.set(status.getTime().toEpochMilli() / 1000.0);
          }
        });
  }

  /**
   * Stops reporting; after the topology has stopped, sends the last report (STOPPED, no
   * partitions), so the pipeline learns of a planned stop at once rather than from silence.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
      send(status("STOPPED", Instant.now()));
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("last status report not written: {}", e.toString());
    } finally {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
