package io.vigil.scoring.simulator;

import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.RiskScorer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks that a model trained on ICU data raises risk on simulated wearable deterioration: for each
 * simulated patient it scores the hourly window ending at onset (before any change) and the one
 * ending 6 h after the ramp reached full severity, and, for stable patients, windows at the same
 * times. Prints mean risks per episode type and the share of episodes above the default threshold.
 *
 * <p>Usage: {@code DeteriorationCheck [--bundle DIR] [--patients 90] [--seed 7]}.
 */
public final class DeteriorationCheck {
  private DeteriorationCheck() {}

  /**
   * Mean risk before and after per episode type ({@code null} key: stable patients), and share of
   * windows at or above the threshold.
   */
  public record Result(
      Map<EpisodeType, double[]> before,
      Map<EpisodeType, double[]> after,
      double[] stable,
      double threshold) {
    public static double mean(double[] v) {
      double s = 0;
      for (double x : v) {
        s += x;
      }
      return v.length == 0 ? Double.NaN : s / v.length;
    }

    public static double shareAbove(double[] v, double t) {
      int n = 0;
      for (double x : v) {
        n += x >= t ? 1 : 0;
      }
      return v.length == 0 ? Double.NaN : n / (double) v.length;
    }
  }

  public static Result run(ModelBundle bundle, int patients, long seed) {
    Instant start = Instant.parse("2024-06-01T00:00:00Z");
    List<SimulatedPatient> cohort =
        CohortSimulator.cohort(
            patients, 2.0 / 3, start, Duration.ofHours(24), Duration.ofHours(48), seed);
    WindowAssembler assembler = new WindowAssembler(bundle.windowHours());
    RiskScorer scorer = bundle.scorer();
    List<PatientWindow> windows = new ArrayList<>();
    for (SimulatedPatient p : cohort) {
      Instant onset = p.episode() == null ? start.plus(Duration.ofHours(36)) : p.episode().onset();
      Instant full =
          p.episode() == null ? onset.plus(Duration.ofHours(7)) : onset.plus(p.episode().ramp());
      Instant beforeEnd = onset.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
      Instant afterEnd =
          full.plus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
      Map<Long, HourSummary[]> buckets = CohortSimulator.buckets(p.readings(start, afterEnd));
      windows.add(assembler.assemble(beforeEnd, buckets, (double) p.age(), p.sex(), start));
      windows.add(assembler.assemble(afterEnd, buckets, (double) p.age(), p.sex(), start));
    }
    double[] risk = scorer.score(windows);
    Map<EpisodeType, List<Double>> b = new EnumMap<>(EpisodeType.class);
    Map<EpisodeType, List<Double>> a = new EnumMap<>(EpisodeType.class);
    List<Double> stable = new ArrayList<>();
    for (int i = 0; i < cohort.size(); i++) {
      Episode e = cohort.get(i).episode();
      if (e == null) {
        stable.add(risk[2 * i]);
        stable.add(risk[2 * i + 1]);
      } else {
        b.computeIfAbsent(e.type(), k -> new ArrayList<>()).add(risk[2 * i]);
        a.computeIfAbsent(e.type(), k -> new ArrayList<>()).add(risk[2 * i + 1]);
      }
    }
    Map<EpisodeType, double[]> before = new EnumMap<>(EpisodeType.class);
    Map<EpisodeType, double[]> after = new EnumMap<>(EpisodeType.class);
    b.forEach((k, v) -> before.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    a.forEach((k, v) -> after.put(k, v.stream().mapToDouble(Double::doubleValue).toArray()));
    return new Result(
        before,
        after,
        stable.stream().mapToDouble(Double::doubleValue).toArray(),
        bundle.metadata().defaultThreshold());
  }

  public static void main(String[] argv) throws Exception {
    io.vigil.scoring.train.Args args = new io.vigil.scoring.train.Args(argv);
    ModelBundle bundle =
        args.options.containsKey("bundle")
            ? ModelBundle.load(java.nio.file.Path.of(args.get("bundle", null)))
            : ModelBundle.loadDefault();
    Result r = run(bundle, args.getInt("patients", 90), args.getLong("seed", 7));
    System.out.printf(Locale.ROOT, "model %s, threshold %.4f%n", bundle.version(), r.threshold());
    System.out.printf(
        Locale.ROOT,
        "%-12s %8s %8s %14s %14s%n",
        "episode",
        "before",
        "after",
        "before>=thr",
        "after>=thr");
    for (EpisodeType t : r.before().keySet()) {
      System.out.printf(
          Locale.ROOT,
          "%-12s %8.4f %8.4f %14.2f %14.2f%n",
          t,
          Result.mean(r.before().get(t)),
          Result.mean(r.after().get(t)),
          Result.shareAbove(r.before().get(t), r.threshold()),
          Result.shareAbove(r.after().get(t), r.threshold()));
    }
    System.out.printf(
        Locale.ROOT,
        "%-12s %8.4f %8s %14.2f%n",
        "stable",
        Result.mean(r.stable()),
        "",
        Result.shareAbove(r.stable(), r.threshold()));
  }
}
