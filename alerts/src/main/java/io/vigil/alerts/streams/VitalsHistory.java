package io.vigil.alerts.streams;

import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.state.StateRowSerde;
import io.vigil.alerts.state.VitalHour;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A patient's vital signs over the last {@link #KEPT} as hourly summaries: for each vital and each
 * hour of measurement time with readings, the lowest, highest and last value, when the last was
 * measured and how many readings there were (the internal Avro record {@link VitalHour}). Kept in a
 * RocksDB window store of the alerts Streams application ({@value #STORE}, one-hour windows,
 * changelogged, exactly once like the lifecycle), partitioned by patient like {@code
 * vitals.observations}; Kafka Streams drops whole segments older than the retention, so a patient's
 * history is at most 6 vitals × 73 hours, whatever the reading rate, and the store is on disk, not
 * in memory.
 *
 * <p>Event time is the reading's measurement time. A reading timed before 1970 or more than ten
 * minutes ahead of this service's clock is dropped (scoring rejects it too): its time would be
 * copied onto the changelog, which the broker refuses.
 */
public final class VitalsHistory {
  /** The window store's name. */
  public static final String STORE = "vitals-hourly";

  /** How far back the store keeps hours, counted from the newest reading of the partition. */
  public static final Duration KEPT = Duration.ofHours(72);

  private static final long HOUR = Duration.ofHours(1).toMillis();
  private static final Duration MAX_AHEAD = Duration.ofMinutes(10);

  /** Vitals charted, in column order, with the names a nurse uses. */
  public static final List<VitalType> VITALS =
      List.of(
          VitalType.HEART_RATE,
          VitalType.RESPIRATORY_RATE,
          VitalType.OXYGEN_SATURATION,
          VitalType.SYSTOLIC_BP,
          VitalType.DIASTOLIC_BP,
          VitalType.BODY_TEMPERATURE);

  public static final List<String> NAMES = List.of("HR", "RR", "SpO2", "BP sys", "BP dia", "Temp");

  /** The store's rows, read and written as {@link VitalHour} records themselves. */
  static final StateRowSerde<VitalHour, VitalHour> ROWS =
      new StateRowSerde<>(VitalHour.class, h -> h, h -> h);

  private VitalsHistory() {}

  /** One hour of one vital: start of the hour, lowest, highest, last value, readings. */
  @Serdeable
  public record Hour(
      Instant hour, double min, double max, double last, Instant lastAt, int count) {}

  /** One vital's hours, oldest first. */
  @Serdeable
  public record Series(String vital, List<Hour> hours) {}

  /** Every vital with no hours. */
  public static List<Series> empty() {
    return NAMES.stream().map(n -> new Series(n, List.<Hour>of())).toList();
  }

  /**
   * The vitals history's topology, as its Kafka Streams client runs it: the source, the summarising
   * processor and the store.
   */
  public static Topology topology() {
    Topology t = new Topology();
    t.addSource(
        org.apache.kafka.streams.AutoOffsetReset.earliest(),
        "vitals-in",
        new MeasurementTime(),
        Topics.VITALS_OBSERVATIONS.keySerde().deserializer(),
        Topics.VITALS_OBSERVATIONS.valueSerde().deserializer(),
        Topics.VITALS_OBSERVATIONS.name());
    t.addProcessor("vitals-hourly-summary", Summarise::new, "vitals-in");
    t.addStateStore(
        Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, KEPT.plusHours(1), Duration.ofHours(1), false),
                Serdes.String(),
                ROWS)
            .withCachingEnabled(),
        "vitals-hourly-summary");
    return t;
  }

  static String key(String patient, int column) {
    return patient + "|" + column;
  }

  static VitalHour merge(VitalHour old, double value, long at) {
    float v = (float) value;
    if (old == null) {
      return new VitalHour(v, v, v, at, 1);
    }
    boolean later = at >= old.getLastAt();
    return new VitalHour(
        Math.min(old.getMin(), v),
        Math.max(old.getMax(), v),
        later ? v : old.getLast(),
        later ? at : old.getLastAt(),
        old.getCount() + 1);
  }

  static Hour hour(long start, VitalHour h) {
    return new Hour(
        Instant.ofEpochMilli(start),
        h.getMin(),
        h.getMax(),
        h.getLast(),
        Instant.ofEpochMilli(h.getLastAt()),
        h.getCount());
  }

  /** The patient's hours from {@code from} to {@code to} (inclusive), per vital. */
  static List<Series> query(
      ReadOnlyWindowStore<String, VitalHour> store, String patient, Instant from, Instant to) {
    List<Series> out = new ArrayList<>();
    for (int i = 0; i < VITALS.size(); i++) {
      List<Hour> hours = new ArrayList<>();
      try (WindowStoreIterator<VitalHour> it = store.fetch(key(patient, i), from, to)) {
        it.forEachRemaining(kv -> hours.add(hour(kv.key, kv.value)));
      }
      out.add(new Series(NAMES.get(i), hours));
    }
    return out;
  }

  /** Measurement time as event time; a time no device can have makes the record dropped. */
  static final class MeasurementTime implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
      if (record.value() instanceof VitalObservation o) {
        long t = o.getTime().toEpochMilli();
        if (t >= 0 && t <= System.currentTimeMillis() + MAX_AHEAD.toMillis()) {
          return t;
        }
      }
      return -1; // dropped by Kafka Streams (counted in its dropped-records metric)
    }
  }

  /** Folds each reading into its vital's hour. */
  static final class Summarise implements Processor<PatientKey, VitalObservation, Void, Void> {
    private WindowStore<String, VitalHour> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<PatientKey, VitalObservation> r) {
      if (r.key() == null || r.value() == null) {
        return;
      }
      int column = VITALS.indexOf(r.value().getVital());
      if (column < 0) {
        return;
      }
      long at = r.value().getTime().toEpochMilli();
      long hour = at - Math.floorMod(at, HOUR);
      String key = key(PatientKeys.format(r.key()), column);
      store.put(key, merge(store.fetch(key, hour), r.value().getValue(), at), hour);
    }
  }
}
