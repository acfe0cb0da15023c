package io.vigil.alerts.health;

import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.metrics.AlertMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of some topics with one plain consumer, without a consumer group, so that
 * every instance of the service reads everything: the body of a {@link Supervisor}. Each run opens
 * a consumer, assigns every partition, continues each from the position the last run reached (or,
 * the first time, from where its {@link Source} says), then polls while the supervisor runs,
 * handing each record to the {@link Records} and remembering its position, and calls {@link
 * Records#polled} after each poll. Transactions are read committed; topics are never created by
 * asking for them (the service creates them with the catalogue's partitions): a topic that has no
 * partitions after a minute fails the run, and the supervisor starts it again. Partitions added to
 * a topic while the reader runs are found within about a minute (30 s between checks of the
 * client's metadata, refreshed as often) and read from their beginning: everything in them was
 * written after the reader started.
 */
public final class TopicReader {
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration TOPIC_WAIT = Duration.ofSeconds(60);
  private static final Duration PARTITION_CHECK = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);

  /** Where a partition is first read from. */
  public enum From {
    /** Its first record. */
    BEGINNING,
    /** The first record written within the reader's lookback, else its end. */
    LOOKBACK
  }

  /** A topic and where its partitions are first read from. */
  public record Source(String topic, From from) {}

  /** What the reader hands its records to; both run on the reader's thread. */
  public interface Records {
    /** One record; {@code now} is the wall-clock time of the poll that returned it. */
    void take(ConsumerRecord<byte[], byte[]> record, long now);

    /** After each poll, with or without records. */
    default void polled(long now) {}

    /**
     * Once, after the poll that brought the reader to everything that was on its topics when it
     * first ran.
     */
    default void caughtUp() {}
  }

  private final Properties consumerConfig;
  private final List<Source> sources;
  private final Duration lookback;
  private final Records records;
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private final Duration partitionCheck;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private Map<TopicPartition, Long> end;
  private volatile boolean caughtUp;

  /**
   * @param clientId the consumer's client id prefix (a random suffix is added)
   * @param lookback how far back {@link From#LOOKBACK} sources start
   */
  public TopicReader(
      AlertsConfig config,
      String clientId,
      List<Source> sources,
      Duration lookback,
      Records records) {
    this(config, clientId, sources, lookback, records, PARTITION_CHECK);
  }

  /** As above, checking for added partitions every {@code partitionCheck}. */
  TopicReader(
      AlertsConfig config,
      String clientId,
      List<Source> sources,
      Duration lookback,
      Records records,
      Duration partitionCheck) {
    this.partitionCheck = partitionCheck;
    this.initialBackoff = config.restart().initialBackoff();
    this.maxBackoff = config.restart().maxBackoff();
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.putAll(config.kafkaSecurity());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) partitionCheck.toMillis());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + UUID.randomUUID());
    this.consumerConfig = p;
    this.sources = List.copyOf(sources);
    this.lookback = lookback;
    this.records = records;
  }

  /**
   * A supervisor, not yet started, that runs this reader and restarts it with the service's restart
   * backoff, raising {@code alarm} after {@code alarmAfter} failures in a row.
   */
  public Supervisor supervisor(
      String component, AlertMetrics metrics, int alarmAfter, Supervisor.Alarm alarm) {
    return new Supervisor(
        component, this::run, metrics, initialBackoff, maxBackoff, alarmAfter, alarm);
  }

  /** Stops {@code supervisor}'s run of this reader, waking it from its poll. */
  public void stopUnder(Supervisor supervisor) throws InterruptedException {
    supervisor.stop(this::wakeup, Duration.ofSeconds(10));
  }

  /** The loop: give it to a {@link Supervisor} as its body. */
  public void run(Supervisor.Beat beat) throws InterruptedException {
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      if (!beat.running()) {
        return;
      }
      List<TopicPartition> parts = new ArrayList<>();
      Map<TopicPartition, Long> since = new HashMap<>();
      long from = System.currentTimeMillis() - (lookback == null ? 0 : lookback.toMillis());
      for (Source source : sources) {
        for (PartitionInfo info : partitionsOf(c, source.topic(), beat)) {
          TopicPartition tp = new TopicPartition(info.topic(), info.partition());
          parts.add(tp);
          if (!positions.containsKey(tp) && source.from() == From.LOOKBACK) {
            since.put(tp, from);
          }
        }
      }
      c.assign(parts);
      Map<TopicPartition, OffsetAndTimestamp> found =
          since.isEmpty() ? Map.of() : c.offsetsForTimes(since);
      for (TopicPartition tp : parts) {
        Long next = positions.get(tp);
        if (next != null) {
          c.seek(tp, next);
        } else if (!since.containsKey(tp)) {
          c.seekToBeginning(List.of(tp));
        } else if (found.get(tp) != null) {
          c.seek(tp, found.get(tp).offset());
        } else {
          c.seekToEnd(List.of(tp));
        }
      }
      if (end == null) {
        end = c.endOffsets(parts);
      }
      long nextCheck = System.currentTimeMillis() + partitionCheck.toMillis();
      while (beat.running()) {
        var polled = c.poll(POLL);
        beat.ok();
        long now = System.currentTimeMillis();
        if (now >= nextCheck) {
          nextCheck = now + partitionCheck.toMillis();
          List<TopicPartition> added = added(c, parts, beat);
          if (!added.isEmpty()) {
            parts.addAll(added);
            c.assign(parts); // the partitions already read keep their positions
            c.seekToBeginning(added);
            LOG.info(
                "partitions {} added since the reader started: reading them from the start", added);
          }
        }
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          records.take(r, now);
          positions.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
        }
        records.polled(now);
        if (!caughtUp
            && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
          caughtUp = true;
          records.caughtUp();
        }
      }
    } catch (WakeupException e) {
      if (beat.running()) {
        throw e;
      }
    } finally {
      consumer = null;
    }
  }

  /** Partitions of the sources' topics that are not in {@code parts}. */
  private List<TopicPartition> added(
      KafkaConsumer<byte[], byte[]> c, List<TopicPartition> parts, Supervisor.Beat beat)
      throws InterruptedException {
    List<TopicPartition> added = new ArrayList<>();
    for (Source source : sources) {
      for (PartitionInfo info : partitionsOf(c, source.topic(), beat)) {
        TopicPartition tp = new TopicPartition(info.topic(), info.partition());
        if (!parts.contains(tp)) {
          added.add(tp);
        }
      }
    }
    return added;
  }

  private static List<PartitionInfo> partitionsOf(
      KafkaConsumer<byte[], byte[]> c, String topic, Supervisor.Beat beat)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + TOPIC_WAIT.toMillis();
    while (true) {
      List<PartitionInfo> found = c.partitionsFor(topic, TOPIC_WAIT);
      if (found != null && !found.isEmpty()) {
        return found;
      }
      if (!beat.running() || System.currentTimeMillis() >= deadline) {
        throw new IllegalStateException(topic + " has no partitions yet");
      }
      Thread.sleep(500);
    }
  }

  /**
   * True once the reader has read everything that was on its topics (from where each starts) when
   * it first ran.
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  /** Interrupts a poll in progress: for stopping, before {@link Supervisor#stop}. */
  public void wakeup() {
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }
}
