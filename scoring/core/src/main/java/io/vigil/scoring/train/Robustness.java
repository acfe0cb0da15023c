package io.vigil.scoring.train;

import io.vigil.scoring.model.ModelBundle;
import io.vigil.tools.physionet.PhysioNetStay;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * What changes between hospitals, measured on the evaluated stays: every model's figures per
 * subgroup (age band, sex, length of stay, quartile of measurement density) at its own threshold,
 * and on the same stays resampled to half their measurement density (each hourly vital value kept
 * with probability ½, seeded), re-encoded and re-scored.
 */
final class Robustness {
  /** Seed of the half-density resampling. */
  static final long THINNING_SEED = 20_190_501L;

  private Robustness() {}

  static void add(
      Map<String, Object> report,
      ModelBundle bundle,
      LogisticBaseline baseline,
      TreeBaseline tree,
      EncodedSet set,
      int bootstrap) {
    long seed = bundle.metadata().seed();
    List<Evaluate.Scored> scored = Evaluate.score(bundle, baseline, tree, set);
    Map<String, Object> groups = new LinkedHashMap<>();
    double[] density = set.stays.stream().mapToDouble(Robustness::readingsPerHour).toArray();
    double[] sorted = density.clone();
    Arrays.sort(sorted);
    double q1 = Evaluator.percentile(sorted, 0.25);
    double q2 = Evaluator.percentile(sorted, 0.5);
    double q3 = Evaluator.percentile(sorted, 0.75);
    Map<String, Predicate<Integer>> defs = new LinkedHashMap<>();
    defs.put("age < 45", s -> age(set, s) < 45);
    defs.put("age 45-64", s -> age(set, s) >= 45 && age(set, s) < 65);
    defs.put("age 65-79", s -> age(set, s) >= 65 && age(set, s) < 80);
    defs.put("age >= 80", s -> age(set, s) >= 80);
    defs.put("female", s -> set.stays.get(s).sex() == io.vigil.schemas.patients.Sex.FEMALE);
    defs.put("male", s -> set.stays.get(s).sex() == io.vigil.schemas.patients.Sex.MALE);
    defs.put("stay <= 24 h", s -> hours(set, s) <= 24);
    defs.put("stay 25-48 h", s -> hours(set, s) > 24 && hours(set, s) <= 48);
    defs.put("stay 49-96 h", s -> hours(set, s) > 48 && hours(set, s) <= 96);
    defs.put("stay > 96 h", s -> hours(set, s) > 96);
    defs.put(fmt("density Q1 (<= %.2f readings/h)", q1), s -> density[s] <= q1);
    defs.put(fmt("density Q2 (<= %.2f)", q2), s -> density[s] > q1 && density[s] <= q2);
    defs.put(fmt("density Q3 (<= %.2f)", q3), s -> density[s] > q2 && density[s] <= q3);
    defs.put(fmt("density Q4 (> %.2f)", q3), s -> density[s] > q3);
    for (Map.Entry<String, Predicate<Integer>> def : defs.entrySet()) {
      groups.put(def.getKey(), subgroup(set, scored, def.getValue(), bootstrap, seed));
    }
    report.put("subgroups", groups);

    Random random = new Random(THINNING_SEED);
    List<PhysioNetStay> thinned = set.stays.stream().map(s -> thin(s, random)).toList();
    EncodedSet half = EncodedSet.encode(thinned, bundle);
    Evaluator evaluator = new Evaluator(half.labels, half.stayStart);
    Map<String, Object> models = new LinkedHashMap<>();
    for (Evaluate.Scored s : Evaluate.score(bundle, baseline, tree, half)) {
      models.put(s.model(), evaluator.evaluate(s.score(), s.threshold(), bootstrap, seed));
    }
    Map<String, Object> halfDensity = new LinkedHashMap<>();
    halfDensity.put(
        "readingsPerHour",
        Map.of(
            "before", mean(density),
            "after", mean(thinned.stream().mapToDouble(Robustness::readingsPerHour).toArray())));
    halfDensity.put("models", models);
    report.put("halfDensity", halfDensity);
  }

  private static Map<String, Object> subgroup(
      EncodedSet set,
      List<Evaluate.Scored> scored,
      Predicate<Integer> member,
      int bootstrap,
      long seed) {
    List<Integer> stays = new ArrayList<>();
    int rows = 0;
    for (int s = 0; s < set.stays.size(); s++) {
      if (member.test(s)) {
        stays.add(s);
        rows += set.stayStart[s + 1] - set.stayStart[s];
      }
    }
    int[] labels = new int[rows];
    int[] start = new int[stays.size() + 1];
    int[] from = new int[rows];
    int r = 0;
    for (int k = 0; k < stays.size(); k++) {
      start[k] = r;
      for (int i = set.stayStart[stays.get(k)]; i < set.stayStart[stays.get(k) + 1]; i++) {
        labels[r] = set.labels[i];
        from[r++] = i;
      }
    }
    start[stays.size()] = r;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stays", stays.size());
    out.put("septicStays", stays.stream().filter(s -> set.stays.get(s).septic()).count());
    out.put("hours", rows);
    if (stays.isEmpty()) {
      return out;
    }
    Evaluator evaluator = new Evaluator(labels, start);
    for (Evaluate.Scored s : scored) {
      double[] score = Arrays.stream(from).mapToDouble(i -> s.score()[i]).toArray();
      Map<String, Object> all = evaluator.evaluate(score, s.threshold(), bootstrap, seed);
      Map<String, Object> kept = new LinkedHashMap<>();
      kept.put("auroc", all.get("auroc"));
      kept.put("normalizedUtility", all.get("normalizedUtility"));
      kept.put("alertOnsetsPerPatientDay", all.get("alertOnsetsPerPatientDay"));
      out.put(s.model(), kept);
    }
    return out;
  }

  /** Vital values per hour of the stay (each of the seven vitals counts once per hour). */
  static double readingsPerHour(PhysioNetStay stay) {
    long n = 0;
    for (PhysioNetStay.Row row : stay.rows()) {
      for (double v : row.vitals()) {
        n += Double.isNaN(v) ? 0 : 1;
      }
    }
    return stay.rows().isEmpty() ? 0 : n / (double) stay.rows().size();
  }

  /**
   * {@code stays} with a seeded share {@code fraction} of them {@link #thin thinned}, in the same
   * order; the others as they are.
   */
  static List<PhysioNetStay> thinShare(List<PhysioNetStay> stays, double fraction, long seed) {
    if (fraction <= 0) {
      return stays;
    }
    Random pick = new Random(seed ^ 0x7468696eL);
    Random drop = new Random(seed);
    List<PhysioNetStay> out = new ArrayList<>(stays.size());
    for (PhysioNetStay stay : stays) {
      out.add(pick.nextDouble() < fraction ? thin(stay, drop) : stay);
    }
    return out;
  }

  /** The stay with each vital value kept with probability ½. */
  static PhysioNetStay thin(PhysioNetStay stay, Random random) {
    List<PhysioNetStay.Row> rows = new ArrayList<>(stay.rows().size());
    for (PhysioNetStay.Row row : stay.rows()) {
      double[] v = row.vitals().clone();
      for (int i = 0; i < v.length; i++) {
        if (!Double.isNaN(v[i]) && random.nextBoolean()) {
          v[i] = Double.NaN;
        }
      }
      rows.add(new PhysioNetStay.Row(row.iculos(), v, row.sepsisLabel()));
    }
    return new PhysioNetStay(stay.id(), stay.age(), stay.sex(), rows);
  }

  private static double age(EncodedSet set, int s) {
    Double age = set.stays.get(s).age();
    return age == null ? Double.NaN : age;
  }

  private static int hours(EncodedSet set, int s) {
    return set.stays.get(s).rows().size();
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  private static String fmt(String pattern, double v) {
    return String.format(java.util.Locale.ROOT, pattern, v);
  }
}
