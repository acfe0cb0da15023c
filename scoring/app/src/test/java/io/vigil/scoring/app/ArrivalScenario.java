package io.vigil.scoring.app;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.topology.ScoringConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A generated ward for arrival-order properties: patients with stays of different lengths, gaps
 * longer than a window, several vitals at their own times, and the same readings in two arrival
 * orders: by measurement time, and delayed each by a random lag of at most {@code maxDelay} (so
 * consecutive hours of a patient often arrive in the opposite order, as with concurrent requests or
 * a phone syncing after being offline), with some readings sent twice.
 *
 * @param inOrder the readings by measurement time
 * @param arrival the same readings (and some repeats) in their delayed arrival order
 */
public record ArrivalScenario(List<Sent> inOrder, List<Sent> arrival) {

  /** One reading for one patient (the patient id only; tests choose the tenant). */
  public record Sent(String patientId, VitalObservation reading) {
    public PatientKey key(String tenant) {
      return new PatientKey(tenant, patientId);
    }
  }

  /**
   * One generated case: the ward's size, the largest lag and, for tests that can choose when due
   * windows are scored, how often (about one reading in {@code flushEvery}).
   */
  public record Case(int patients, int maxHours, int maxDelayMinutes, int flushEvery, long seed) {
    public ArrivalScenario scenario(Instant start) {
      return generate(start, patients, maxHours, Duration.ofMinutes(maxDelayMinutes), seed);
    }

    /**
     * {@code count} cases from the seed in the system property {@code vigil.property.seed}, or a
     * new one; sizes up to {@code patients} and {@code maxHours}, lags up to {@code maxDelay}.
     */
    public static java.util.stream.Stream<Case> sample(
        int count, int patients, int maxHours, Duration maxDelay) {
      long master = Long.getLong("vigil.property.seed", new Random().nextLong());
      Random random = new Random(master);
      List<Case> cases = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        cases.add(
            new Case(
                1 + random.nextInt(patients),
                2 + random.nextInt(maxHours - 1),
                random.nextInt((int) maxDelay.toMinutes() + 1),
                1 + random.nextInt(300),
                random.nextLong()));
      }
      return cases.stream();
    }

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "patients=%d maxHours=%d maxDelay=%dmin flushEvery=%d seed=%d",
          patients,
          maxHours,
          maxDelayMinutes,
          flushEvery,
          seed);
    }
  }

  private static final Vital[] VITALS = {
    Vital.HEART_RATE,
    Vital.RESPIRATORY_RATE,
    Vital.OXYGEN_SATURATION,
    Vital.SYSTOLIC_BP,
    Vital.BODY_TEMPERATURE
  };

  /**
   * Generates a ward.
   *
   * @param patients number of patients
   * @param maxHours longest stay, in hours (each stay lasts 2 hours to this)
   * @param maxDelay the largest lag of a reading behind its measurement time
   * @param seed the random seed: the same arguments give the same ward
   */
  public static ArrivalScenario generate(
      Instant start, int patients, int maxHours, Duration maxDelay, long seed) {
    Random random = new Random(seed);
    List<Sent> readings = new ArrayList<>();
    for (int p = 0; p < patients; p++) {
      String id = "p" + p;
      long first = start.toEpochMilli() + random.nextInt(6 * 60) * 60_000L;
      int hours = 2 + random.nextInt(Math.max(1, maxHours - 1));
      int n = 0;
      for (int minute = 0; minute < hours * 60; minute += 10) {
        if (random.nextInt(100) < 3) {
          minute += (4 + random.nextInt(6)) * 60; // a gap longer than a small window
          continue;
        }
        for (Vital vital : VITALS) {
          if (random.nextInt(100) < 45) {
            long time = first + minute * 60_000L + random.nextInt(600) * 1000L;
            readings.add(
                new Sent(
                    id,
                    Readings.of(
                        id + "-" + n++, vital, value(vital, random), Instant.ofEpochMilli(time))));
          }
        }
      }
    }
    readings.sort(Comparator.comparing(s -> s.reading().getTime()));

    // Arrival: each reading (and a few repeats of the same reading) lags by a random delay.
    List<long[]> order = new ArrayList<>();
    for (int i = 0; i < readings.size(); i++) {
      long time = readings.get(i).reading().getTime().toEpochMilli();
      order.add(new long[] {time + (long) (random.nextDouble() * maxDelay.toMillis()), i});
      if (random.nextInt(100) < 2) {
        order.add(new long[] {time + (long) (random.nextDouble() * maxDelay.toMillis()), i});
      }
    }
    order.sort(Comparator.<long[]>comparingLong(o -> o[0]).thenComparingLong(o -> o[1]));
    List<Sent> arrival = new ArrayList<>();
    for (long[] o : order) {
      arrival.add(readings.get((int) o[1]));
    }
    return new ArrivalScenario(List.copyOf(readings), List.copyOf(arrival));
  }

  private static double value(Vital vital, Random random) {
    return switch (vital) {
      case HEART_RATE -> 45 + random.nextInt(100);
      case RESPIRATORY_RATE -> 7 + random.nextInt(22);
      case OXYGEN_SATURATION -> 86 + random.nextInt(15);
      case SYSTOLIC_BP -> 85 + random.nextInt(140);
      case BODY_TEMPERATURE -> 34.8 + random.nextInt(60) / 10.0;
      default -> throw new IllegalArgumentException(vital.name());
    };
  }

  /**
   * The windows that must be scored, by patient id: every window end on the patient's grid (the
   * cadence grid shifted by the patient's phase, for the patients of {@code tenant}) whose range
   * holds a reading and whose end plus grace the patient's latest reading passed.
   */
  public Map<String, TreeSet<Instant>> dueWindows(ScoringConfig config, String tenant) {
    Map<String, Long> latest = new HashMap<>();
    for (Sent s : inOrder) {
      latest.merge(s.patientId(), s.reading().getTime().toEpochMilli(), Math::max);
    }
    return windowsThrough(config, tenant, latest::get);
  }

  /**
   * The windows that must be scored once every patient went silent (the wall clock past the idle
   * timeout), on one partition: every window end on the patient's grid whose range holds a reading
   * and whose end plus grace the latest reading of the whole ward passed.
   */
  public Map<String, TreeSet<Instant>> closedWhenSilent(ScoringConfig config, String tenant) {
    // A small generated ward can come out without a single reading (every stay opens with a gap
    // longer than itself); then no window has data and none must be scored.
    java.util.OptionalLong latest =
        inOrder.stream().mapToLong(s -> s.reading().getTime().toEpochMilli()).max();
    if (latest.isEmpty()) {
      return new TreeMap<>();
    }
    return windowsThrough(config, tenant, patient -> latest.getAsLong());
  }

  private Map<String, TreeSet<Instant>> windowsThrough(
      ScoringConfig config, String tenant, java.util.function.Function<String, Long> latest) {
    Map<String, TreeSet<Instant>> due = new TreeMap<>();
    for (Sent s : inOrder) {
      long phase = config.phaseMs(s.key(tenant));
      long t = s.reading().getTime().toEpochMilli() - phase;
      long through = latest.apply(s.patientId()) - phase - config.graceMs();
      for (long end = config.firstWindowEnd(t);
          end <= config.lastWindowEnd(t) && end <= through;
          end += config.cadenceMs()) {
        due.computeIfAbsent(s.patientId(), k -> new TreeSet<>())
            .add(Instant.ofEpochMilli(end + phase));
      }
    }
    return due;
  }

  /**
   * The final score of each window (its highest revision), by "patient@windowEnd"; fails when a
   * revision of a window was emitted twice or a revision number was skipped.
   */
  public static Map<String, RiskScore> finalScores(Iterable<Map.Entry<String, RiskScore>> emitted) {
    Map<String, TreeMap<Integer, RiskScore>> byWindow = new TreeMap<>();
    for (Map.Entry<String, RiskScore> e : emitted) {
      String id = e.getKey() + "@" + e.getValue().getWindowEnd();
      RiskScore before =
          byWindow
              .computeIfAbsent(id, k -> new TreeMap<>())
              .put(e.getValue().getRevision(), e.getValue());
      if (before != null) {
        throw new AssertionError(id + " revision " + e.getValue().getRevision() + " emitted twice");
      }
    }
    Map<String, RiskScore> last = new TreeMap<>();
    byWindow.forEach(
        (id, revisions) -> {
          if (revisions.firstKey() != 0 || revisions.lastKey() != revisions.size() - 1) {
            throw new AssertionError(id + " revisions " + revisions.keySet() + " not 0..n");
          }
          last.put(id, revisions.lastEntry().getValue());
        });
    return last;
  }
}
