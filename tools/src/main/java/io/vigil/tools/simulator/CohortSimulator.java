package io.vigil.tools.simulator;

import io.vigil.schemas.patients.Sex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A seeded cohort of remotely monitored patients, some of whom deteriorate with a known onset. Used
 * as a library: the demo ward posts {@link SimulatedPatient#readings} to ingest, tests and the
 * model check read them directly.
 */
public final class CohortSimulator {
  private CohortSimulator() {}

  /**
   * {@code size} patients monitored from {@code start}; a share {@code deteriorating} of them (the
   * first ones, rounded) gets an episode whose onset falls uniformly in {@code [start + earliest,
   * start + latest)}, types in turn sepsis-like, respiratory, bleeding-like, ramp 4-10 h.
   */
  public static List<SimulatedPatient> cohort(
      int size,
      double deteriorating,
      Instant start,
      Duration earliest,
      Duration latest,
      long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int sick = (int) Math.round(size * deteriorating);
    EpisodeType[] types = EpisodeType.values();
    List<SimulatedPatient> patients = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      int age = 45 + r.nextInt(45);
      Sex sex = r.nextBoolean() ? Sex.FEMALE : Sex.MALE;
      Episode episode = null;
      if (i < sick) {
        long span = latest.minus(earliest).toMinutes();
        Instant onset =
            start.plus(earliest).plus(Duration.ofMinutes(r.nextLong(Math.max(1, span))));
        episode = new Episode(types[i % types.length], onset, Duration.ofHours(4 + r.nextInt(7)));
      }
      String id = String.format(Locale.ROOT, "sim-%04d", i);
      patients.add(new SimulatedPatient(id, age, sex, start, episode, r.nextLong()));
    }
    return patients;
  }
}
