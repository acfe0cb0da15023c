package io.vigil.alerts.ward;

import io.micronaut.context.annotation.Context;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.deadletter.DeadLetters;
import io.vigil.alerts.health.Supervisor;
import io.vigil.alerts.health.TopicReader;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.view.SystemAlarm;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ward overview: every monitored patient's latest vitals, NEWS2 and LSTM risk, materialised in
 * memory by reading {@code vitals.observations}, {@code risk.scores} (both from {@code
 * vigil.alerts.ward.lookback} before the start, by arrival time) and the compacted {@code
 * patients.context} (from its beginning) with one consumer assigned to every partition. Every
 * instance builds the whole overview, like the {@link AlertView}, so any instance answers any
 * nurse.
 *
 * <p>Per patient it keeps a small fixed set of numbers ({@link PatientRow}: the latest value and
 * time of six vitals, the last and previous window's NEWS2 and risk, ACVPU, the team), so memory is
 * bounded by the number of patients, not by their readings. A patient without a care-team context
 * is forgotten {@code vigil.alerts.patient-expiry} after anything of theirs last arrived; a
 * tombstone on {@code patients.context} removes the patient at once.
 *
 * <p>The reader runs under a {@link Supervisor} like the alert view's: restarted with backoff from
 * where it was, DOWN in health and metrics meanwhile ({@code ward-view}), and after three failures
 * in a row every nurse sees a TECHNICAL alert saying the overview may be out of date. Records it
 * cannot decode are counted and skipped (the lifecycle and scoring set their own inputs aside).
 *
 * <p>Changes are pushed to listeners once per poll, one row per changed patient, never the whole
 * ward.
 */
@Context
public final class WardView {
  private static final Logger LOG = LoggerFactory.getLogger(WardView.class);

  /** Component name in health, metrics and dead-letter counts. */
  public static final String COMPONENT = "ward-view";

  private static final List<String> UNITS = List.of("/min", "/min", "%", "mm[Hg]", "mm[Hg]", "Cel");
  private static final String[] ACVPU = {"A", "C", "V", "P", "U"};
  private static final Duration FORGET_EVERY = Duration.ofMinutes(10);

  private final Map<String, PatientRow> rows = new HashMap<>();
  private final Map<String, Set<String>> byTeam = new HashMap<>();
  private final Map<String, String> teamNames = new HashMap<>();
  private final List<Consumer<List<WardRow>>> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> dirty = new LinkedHashSet<>();
  private final List<WardRow> left = new ArrayList<>();
  private final String fallbackTeam;
  private final Duration lookback;
  private final Duration expiry;
  private final Duration staleAfter;
  private final DeadLetters deadLetters;

  /** A team's own LSTM threshold ({@code tenant/team}), null where the model's applies. */
  private final java.util.function.Function<String, Double> thresholdInUse;

  private final Supervisor supervisor;
  private final TopicReader reader;
  private long forgottenAt = System.currentTimeMillis();

  @jakarta.inject.Inject
  public WardView(
      AlertsConfig config,
      AlertMetrics metrics,
      DeadLetters deadLetters,
      AlertView alerts,
      io.vigil.alerts.budget.TeamThresholds thresholds,
      io.vigil.alerts.streams.AlertsStreams topicsCreated) {
    this(config, metrics, deadLetters, alerts, thresholds::inUse, true);
  }

  /** A view that reads nothing by itself: tests apply records to it. */
  WardView(AlertsConfig config) {
    this(config, new AlertMetrics(), null, null, team -> null, false);
  }

  private WardView(
      AlertsConfig config,
      AlertMetrics metrics,
      DeadLetters deadLetters,
      AlertView alerts,
      java.util.function.Function<String, Double> thresholdInUse,
      boolean read) {
    this.thresholdInUse = thresholdInUse;
    this.fallbackTeam = config.fallbackTeam();
    this.lookback = config.ward().lookback();
    this.expiry = config.patientExpiry();
    this.staleAfter = config.ward().staleAfter();
    this.deadLetters = deadLetters;
    this.reader =
        new TopicReader(
            config,
            "vigil-alerts-ward",
            List.of(
                new TopicReader.Source(Topics.PATIENTS_CONTEXT.name(), TopicReader.From.BEGINNING),
                new TopicReader.Source(
                    Topics.VITALS_OBSERVATIONS.name(), TopicReader.From.LOOKBACK),
                new TopicReader.Source(Topics.RISK_SCORES.name(), TopicReader.From.LOOKBACK)),
            lookback,
            new TopicReader.Records() {
              @Override
              public void take(ConsumerRecord<byte[], byte[]> r, long now) {
                handle(r, now);
              }

              @Override
              public void polled(long now) {
                flush();
                if (now - forgottenAt >= FORGET_EVERY.toMillis()) {
                  forgottenAt = now;
                  forget(Instant.ofEpochMilli(now));
                }
              }

              @Override
              public void caughtUp() {
                LOG.info("ward overview caught up: {} patients known", size());
              }
            });
    metrics.wardPatients(this::size);
    this.supervisor =
        reader.supervisor(
            COMPONENT,
            metrics,
            3,
            alerts == null
                ? new Supervisor.Alarm() {
                  @Override
                  public void raise(String component, int failures, String lastError) {}

                  @Override
                  public void clear(String component) {}
                }
                : new SystemAlarm(
                    alerts,
                    "WARD_VIEW_FAILING",
                    null,
                    (failures, lastError) ->
                        "the ward overview cannot read new vital signs and scores ("
                            + failures
                            + " failures, last "
                            + lastError
                            + "): the values shown may be old; alerts still arrive"));
    if (read) {
      supervisor.start();
    }
  }

  private void handle(ConsumerRecord<byte[], byte[]> r, long now) {
    if (r.key() == null) {
      return;
    }
    try {
      String topic = r.topic();
      if (topic.equals(Topics.PATIENTS_CONTEXT.name())) {
        PatientKey key =
            Topics.PATIENTS_CONTEXT.keySerde().deserializer().deserialize(topic, r.key());
        PatientContext value =
            r.value() == null
                ? null
                : Topics.PATIENTS_CONTEXT.valueSerde().deserializer().deserialize(topic, r.value());
        context(PatientKeys.format(key), value, now);
      } else if (r.value() == null) {
        return;
      } else if (topic.equals(Topics.VITALS_OBSERVATIONS.name())) {
        PatientKey key =
            Topics.VITALS_OBSERVATIONS.keySerde().deserializer().deserialize(topic, r.key());
        vital(
            PatientKeys.format(key),
            Topics.VITALS_OBSERVATIONS.valueSerde().deserializer().deserialize(topic, r.value()),
            now);
      } else {
        PatientKey key = Topics.RISK_SCORES.keySerde().deserializer().deserialize(topic, r.key());
        score(
            PatientKeys.format(key),
            Topics.RISK_SCORES.valueSerde().deserializer().deserialize(topic, r.value()),
            now);
      }
    } catch (RuntimeException e) {
      if (deadLetters != null) {
        deadLetters.skipped(COMPONENT, r.topic(), r.partition(), r.offset(), e);
      }
    }
  }

  /** The overview's column of {@code type}, or -1 for a vital it does not show. */
  private static int column(io.vigil.schemas.common.VitalType type) {
    return switch (type) {
      case HEART_RATE -> 0;
      case RESPIRATORY_RATE -> 1;
      case OXYGEN_SATURATION -> 2;
      case SYSTOLIC_BP -> 3;
      case DIASTOLIC_BP -> 4;
      case BODY_TEMPERATURE -> 5;
      default -> -1;
    };
  }

  /** Takes a reading: kept when it is the vital's newest by measurement time. */
  synchronized void vital(String patient, VitalObservation o, long now) {
    int col = column(o.getVital());
    if (col < 0) {
      return;
    }
    PatientRow row = row(patient);
    long t = o.getTime().toEpochMilli();
    row.touched = now;
    if (t >= row.at[col]) {
      row.at[col] = t;
      row.value[col] = (float) o.getValue();
      dirty.add(patient);
    }
  }

  /**
   * Takes a risk score: a newer window becomes the last and the last the previous; a revision of
   * the last window replaces it; an older window changes nothing here.
   */
  synchronized void score(String patient, RiskScore s, long now) {
    PatientRow row = row(patient);
    row.touched = now;
    long w = s.getWindowEnd().toEpochMilli();
    if (w < row.windowEnd) {
      return;
    }
    if (w > row.windowEnd) {
      row.previousNews2 = row.news2;
      row.previousRisk = row.risk;
    }
    row.windowEnd = w;
    row.news2 = s.getNews2().getTotal();
    row.news2Complete = s.getNews2().getComplete();
    row.singleParameter3 = s.getNews2().getSingleParameter3();
    row.risk = s.getLstmRisk() == null ? Float.NaN : s.getLstmRisk().floatValue();
    row.threshold = s.getLstmThreshold() == null ? Float.NaN : s.getLstmThreshold().floatValue();
    dirty.add(patient);
  }

  /** Takes a patient context (null: a tombstone, the platform deleted the patient). */
  synchronized void context(String patient, PatientContext ctx, long now) {
    if (ctx == null) {
      PatientRow gone = rows.remove(patient);
      if (gone != null) {
        left.add(WardRow.left(patient, gone.team));
        unindex(gone);
        dirty.remove(patient);
      }
      return;
    }
    PatientRow row = row(patient);
    row.touched = now;
    row.hasContext = true;
    row.spo2Scale2 = ctx.getSpo2Scale2();
    row.oxygen = ctx.getOxygenTherapy();
    String team =
        ctx.getCareTeams().isEmpty() || ctx.getCareTeams().get(0).isBlank()
            ? fallbackTeam
            : ctx.getCareTeams().get(0);
    moveTo(row, teamKey(row.tenant(), team));
    if (ctx.getConsciousness() != null) {
      long t = ctx.getConsciousnessTime() == null ? 0 : ctx.getConsciousnessTime().toEpochMilli();
      if (t >= row.acvpuAt) {
        row.acvpu = (byte) ctx.getConsciousness().ordinal();
        row.acvpuAt = t;
      }
    }
    dirty.add(patient);
  }

  private PatientRow row(String patient) {
    PatientRow row = rows.get(patient);
    if (row == null) {
      PatientRow fresh = new PatientRow(patient);
      String team = teamKey(fresh.tenant(), fallbackTeam); // refuses a key naming no tenant
      fresh.team = team;
      byTeam.computeIfAbsent(team, t -> new HashSet<>()).add(patient);
      rows.put(patient, fresh);
      row = fresh;
    }
    return row;
  }

  private String teamKey(String tenant, String team) {
    String key = TeamKeys.of(tenant, team);
    return teamNames.computeIfAbsent(key, k -> k);
  }

  private void moveTo(PatientRow row, String team) {
    if (team.equals(row.team)) {
      return;
    }
    if (row.team != null) {
      left.add(WardRow.left(row.key, row.team));
    }
    unindex(row);
    row.team = team;
    byTeam.computeIfAbsent(team, t -> new HashSet<>()).add(row.key);
  }

  private void unindex(PatientRow row) {
    if (row.team == null) {
      return;
    }
    Set<String> members = byTeam.get(row.team);
    if (members != null) {
      members.remove(row.key);
      if (members.isEmpty()) {
        byTeam.remove(row.team);
      }
    }
  }

  /**
   * Forgets patients without a care-team context whose data last arrived more than the patient
   * expiry before {@code now}.
   *
   * @return how many were forgotten
   */
  synchronized int forget(Instant now) {
    long before = now.minus(expiry).toEpochMilli();
    List<PatientRow> old = new ArrayList<>();
    for (PatientRow r : rows.values()) {
      if (!r.hasContext && r.touched < before) {
        old.add(r);
      }
    }
    for (PatientRow r : old) {
      rows.remove(r.key);
      unindex(r);
    }
    return old.size();
  }

  /** Pushes one row per patient changed since the last push to every listener. */
  void flush() {
    List<WardRow> changed;
    synchronized (this) {
      if (dirty.isEmpty() && left.isEmpty()) {
        return;
      }
      changed = new ArrayList<>(left.size() + dirty.size());
      changed.addAll(left);
      for (String p : dirty) {
        PatientRow r = rows.get(p);
        if (r != null) {
          changed.add(snapshot(r));
        }
      }
      left.clear();
      dirty.clear();
    }
    for (Consumer<List<WardRow>> l : listeners) {
      try {
        l.accept(changed);
      } catch (RuntimeException e) {
        LOG.debug("ward listener failed", e);
      }
    }
  }

  /** The rows of the patients of {@code teams} ({@code tenant/team}). */
  public synchronized List<WardRow> rowsFor(Collection<String> teams) {
    List<WardRow> out = new ArrayList<>();
    for (String team : teams) {
      for (String p : byTeam.getOrDefault(team, Set.of())) {
        out.add(snapshot(rows.get(p)));
      }
    }
    return out;
  }

  /** One patient's row, whatever their team. */
  public synchronized Optional<WardRow> find(String patient) {
    PatientRow r = rows.get(patient);
    return r == null ? Optional.empty() : Optional.of(snapshot(r));
  }

  /**
   * The LSTM threshold the patient's team judges against: the team's own (derived from its alert
   * budget, or fixed by configuration) when it has one, else the model's, carried on the score.
   */
  private Double threshold(PatientRow r) {
    Double team = r.team == null ? null : thresholdInUse.apply(r.team);
    return team != null ? team : number(r.threshold);
  }

  private static Double number(float f) {
    return Float.isNaN(f) ? null : (double) f;
  }

  private WardRow snapshot(PatientRow r) {
    List<WardRow.Reading> vitals = new ArrayList<>(PatientRow.VITALS);
    for (int i = 0; i < PatientRow.VITALS; i++) {
      vitals.add(
          new WardRow.Reading(
              WardRow.VITAL_NAMES.get(i),
              UNITS.get(i),
              r.at[i] == 0 ? null : (double) r.value[i],
              r.at[i] == 0 ? null : Instant.ofEpochMilli(r.at[i])));
    }
    boolean scored = r.news2 != PatientRow.NONE;
    Double risk = number(r.risk);
    Double previousRisk = number(r.previousRisk);
    return new WardRow(
        r.key,
        r.team,
        vitals,
        r.acvpu < 0 ? null : ACVPU[r.acvpu],
        r.acvpu < 0 || r.acvpuAt == 0 ? null : Instant.ofEpochMilli(r.acvpuAt),
        scored ? r.news2 : null,
        r.previousNews2 == PatientRow.NONE ? null : r.previousNews2,
        r.news2Complete,
        r.singleParameter3,
        scored ? WardRow.band(r.news2, r.singleParameter3) : null,
        risk,
        previousRisk,
        threshold(r),
        WardRow.trend(risk, previousRisk),
        r.windowEnd == 0 ? null : Instant.ofEpochMilli(r.windowEnd),
        r.lastReading(),
        r.spo2Scale2,
        r.oxygen,
        0,
        0,
        null,
        false,
        false);
  }

  /** Registers a listener of changed rows; the returned runnable removes it. */
  public Runnable subscribe(Consumer<List<WardRow>> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public synchronized int size() {
    return rows.size();
  }

  /** How long without readings before the overview greys a patient as not sending. */
  public Duration staleAfter() {
    return staleAfter;
  }

  public Supervisor reader() {
    return supervisor;
  }

  /** True once the view has read what was on its topics when the service started. */
  public boolean caughtUp() {
    return reader.caughtUp();
  }

  @PreDestroy
  void close() throws InterruptedException {
    reader.stopUnder(supervisor);
  }
}
