package io.vigil.ingest.patients;

import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.vigil.ingest.kafka.KafkaClientSettings;
import io.vigil.ingest.metrics.ContextFollowerMetrics;
import io.vigil.ingest.metrics.IngestMetrics;
import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the compacted {@code patients.context} into the {@link PatientRegistry}, so that context
 * written through any ingest instance counts towards a tenant's bound. It runs only while the bound
 * is on, on a thread of its own, with a plain consumer in no consumer group that assigns itself
 * every partition and reads them read_committed from the beginning (ingest/README.md, "Kafka
 * consumers", says why it is not a listener).
 *
 * <p>It does not stop quietly. A run fails when the client throws or when no broker answers its
 * check within {@value #TIMEOUT_SECONDS} s (every {@value #CHECK_SECONDS} s it asks for the end
 * offsets, which gives the lag too); the run's consumer is closed and a new one starts after a
 * backoff that doubles from 1 s to 30 s, from the positions the last run reached. Its {@link
 * Status} is DOWN from a failure until a broker answers again, CATCHING_UP until it has read what
 * was on the topic when it (re)connected, then UP; {@code /health} and {@code /metrics} show it.
 * Partitions added to the topic while it runs are found at a check (the client's metadata is
 * refreshed as often) and read from their beginning: everything in them is newer than the run.
 */
@Singleton
public final class ContextFollower {
  static final int CHECK_SECONDS = 5;
  static final int TIMEOUT_SECONDS = 5;
  private static final Logger LOG = LoggerFactory.getLogger(ContextFollower.class);
  private static final String TOPIC = Topics.PATIENTS_CONTEXT.name();
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration CHECK = Duration.ofSeconds(CHECK_SECONDS);
  private static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** What the follower is doing. */
  public enum State {
    /** The bound is off: nothing to follow. */
    OFF,
    /** Started; no broker has answered it yet. */
    STARTING,
    /** Reading what was on the topic when it (re)connected: context not read yet counts as new. */
    CATCHING_UP,
    /** Caught up: following context as it is written. */
    UP,
    /** Its last run failed; a new one starts after the backoff. */
    DOWN
  }

  /**
   * The follower as {@code /health} shows it.
   *
   * @param lagRecords records on the topic it had not read at its last check
   * @param failures failed runs since a broker last answered it
   * @param restarts failed runs since the service started
   * @param lastError the last failure's exception class and Kafka's message; null before any
   * @param lastFailure when it last failed; null before any
   */
  public record Status(
      State state,
      long lagRecords,
      int failures,
      long restarts,
      @Nullable String lastError,
      @Nullable Instant lastFailure) {}

  private final PatientRegistry registry;
  private final IngestMetrics ingestMetrics;
  private final Properties consumerConfig;
  private final Map<TopicPartition, Long> positions = new HashMap<>();
  private final Thread thread = new Thread(this::supervise, "vigil-ingest-patients");
  private ContextFollowerMetrics metrics;
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile State state = State.OFF;
  private volatile long lag;
  private volatile int failures;
  private volatile long restarts;
  private volatile String lastError;
  private volatile Instant lastFailure;

  /**
   * @param clientSettings the brokers, and the security settings of {@code
   *     vigil.ingest.producer.*}, which reach the consumer too
   */
  public ContextFollower(
      PatientRegistry registry, IngestMetrics ingestMetrics, KafkaClientSettings clientSettings) {
    this.registry = registry;
    this.ingestMetrics = ingestMetrics;
    Properties props = new Properties();
    props.putAll(clientSettings.security());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, clientSettings.bootstrapServers());
    props.putAll(KafkaConnection.fromEnvironment().securityProperties());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-ingest-patients");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The service creates the topic with the catalogue's settings; asking must not create it.
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) CHECK.toMillis());
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_SECONDS * 1000);
    this.consumerConfig = props;
    thread.setDaemon(true);
  }

  @EventListener
  void onStartup(StartupEvent event) {
    if (registry.bound() > 0) {
      metrics = ingestMetrics.contextFollower();
      enter(State.STARTING);
      running = true;
      thread.start();
    }
  }

  /** Where the follower is, for {@code /health}. */
  public Status status() {
    return new Status(state, lag, failures, restarts, lastError, lastFailure);
  }

  private void supervise() {
    while (running) {
      try {
        follow();
      } catch (RuntimeException | Error e) {
        if (!running) {
          return;
        }
        Duration wait = failed(e);
        try {
          Thread.sleep(wait.toMillis());
        } catch (InterruptedException stopping) {
          return;
        }
      }
    }
  }

  /** One run: a consumer of its own, polling until the follower is stopped or something fails. */
  private void follow() {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      if (!running) {
        return;
      }
      List<TopicPartition> parts = partitions(c);
      c.assign(parts);
      for (TopicPartition tp : parts) {
        Long next = positions.get(tp);
        if (next == null) {
          c.seekToBeginning(List.of(tp));
        } else {
          c.seek(tp, next);
        }
      }
      Map<TopicPartition, Long> target = c.endOffsets(parts);
      answered(lag(c, target));
      long nextCheck = System.nanoTime() + CHECK.toNanos();
      while (running) {
        take(c.poll(POLL));
        if (state == State.CATCHING_UP && lag(c, target) == 0) {
          LOG.info("read patients.context up to where it was when the follower connected");
          enter(State.UP);
        }
        if (System.nanoTime() - nextCheck >= 0) {
          check(c, parts);
          nextCheck = System.nanoTime() + CHECK.toNanos();
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer = null;
    }
  }

  private void take(ConsumerRecords<byte[], byte[]> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
      if (record.key() == null) {
        continue;
      }
      try {
        var key = Topics.PATIENT_KEY.deserializer().deserialize(TOPIC, record.key());
        registry.add(key.getTenant(), key.getPatientId());
      } catch (RuntimeException e) {
        LOG.warn(
            "patients.context record at partition {} offset {} has an unreadable key: {}",
            record.partition(),
            record.offset(),
            e.getMessage());
      }
    }
    metrics.read(records.count());
  }

  /**
   * Takes on partitions added to the topic, then asks for the end offsets: the lag, and the proof
   * that a broker still answers (a run whose broker is gone would otherwise poll nothing forever).
   */
  private void check(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts) {
    List<TopicPartition> added = new ArrayList<>(partitions(c));
    added.removeAll(parts);
    if (!added.isEmpty()) {
      parts.addAll(added);
      c.assign(parts); // the partitions already read keep their positions
      c.seekToBeginning(added);
      LOG.info("partitions {} added to patients.context: reading them from the start", added);
    }
    long behind = lag(c, c.endOffsets(parts));
    lag = behind;
    metrics.lag(behind);
  }

  private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> c) {
    List<PartitionInfo> found = c.partitionsFor(TOPIC);
    if (found.isEmpty()) {
      throw new IllegalStateException(TOPIC + " has no partitions yet");
    }
    return new ArrayList<>(
        found.stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList());
  }

  /** Records between the consumer's positions and {@code ends}. */
  private static long lag(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
    long behind = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      behind += Math.max(0, end.getValue() - c.position(end.getKey()));
    }
    return behind;
  }

  /** A broker answered the run's first request: reading again. */
  private void answered(long behind) {
    if (failures > 0) {
      LOG.info("following patients.context again after {} failed runs", failures);
      failures = 0;
    }
    lag = behind;
    metrics.lag(behind);
    enter(State.CATCHING_UP);
  }

  private Duration failed(Throwable e) {
    failures++;
    restarts++;
    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
    lastFailure = Instant.now();
    enter(State.DOWN);
    metrics.restarted();
    Duration wait = backoff(failures);
    LOG.warn(
        "following patients.context for the patient bound failed ({} in a row): {}; starting"
            + " again in {}",
        failures,
        e.toString(),
        wait);
    return wait;
  }

  /** The wait before restart {@code n} (1-based): doubling from 1 s, at most 30 s. */
  private static Duration backoff(int n) {
    long ms = INITIAL_BACKOFF.toMillis() << Math.min(n - 1, 10);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF.toMillis()));
  }

  private void enter(State next) {
    state = next;
    metrics.up(next == State.CATCHING_UP || next == State.UP);
  }

  /** Stops the follower: wakes it from a poll, or from its backoff if it is waiting there. */
  @PreDestroy
  void close() throws InterruptedException {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    } else {
      thread.interrupt();
    }
    thread.join(2_500);
    if (thread.isAlive()) {
      thread.interrupt();
      thread.join(2_500);
    }
  }
}
