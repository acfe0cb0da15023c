package io.vigil.scoring.simulator;

import io.vigil.scoring.features.HourBuckets;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.RiskScorer;
import io.vigil.tools.cli.Usage;
import io.vigil.tools.simulator.CohortSimulator;
import io.vigil.tools.simulator.Episode;
import io.vigil.tools.simulator.EpisodeType;
import io.vigil.tools.simulator.SimulatedPatient;
import io.vigil.tools.simulator.SimulatedReading;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Checks that a model trained on ICU data raises risk on simulated wearable deterioration: for each
 * simulated patient it scores the hourly window ending at onset (before any change) and the one
 * ending 6 h after the ramp reached full severity, and, for stable patients, windows at the same
 * times. Prints mean risks per episode type and the share of episodes above the default threshold.
 *
 * <p>It also scores every hourly window from onset to 24 h after it and reports, per episode type,
 * the median time from onset to the first window at or above the model's threshold next to the
 * first window with NEWS2 &ge; 5 (on air, from the window's latest readings, as the offline
 * evaluation computes it), and how many episodes each flagged within those 24 hours; for stable
 * patients, the share of their hourly windows over the same span above each.
 *
 * <p>An instance is the command line ({@code DeteriorationCheck --help}).
 */
@Command(
    name = "DeteriorationCheck",
    description =
        "Scores a simulated wearable cohort with a model bundle: mean risk before and after each"
            + " kind of deterioration, and time from onset to the first alert next to NEWS2's.",
    exitCodeList = {
      "0:the figures are printed",
      "1:the check failed (the error is printed)",
      "2:invalid command line: an unknown option or a value out of range"
    })
public final class DeteriorationCheck implements Callable<Integer> {
  @Mixin private Usage usage;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Bundle folder to check (the shipped bundle without it).")
  private Path bundleDir;

  @Option(
      names = "--patients",
      paramLabel = "N",
      defaultValue = "90",
      description = "Simulated patients, at least 1.")
  private int patients;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "7",
      description = "Seed of the cohort.")
  private long seed;

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

  /** Hours after onset within which alerts are looked for. */
  public static final int ALERT_SPAN_HOURS = 24;

  /**
   * Time from onset to first alert of one episode type, or of stable patients (windows over the
   * same span; then the shares are of windows, not of patients).
   *
   * @param episodes episodes (or stable patients)
   * @param lstmHours hours from onset to the end of the first window at or above the threshold, one
   *     per flagged episode
   * @param news2Hours the same for NEWS2 &ge; 5
   * @param lstmShare share flagged by the model within {@link #ALERT_SPAN_HOURS}
   * @param news2Share share flagged by NEWS2 within the same span
   */
  public record TimeToAlert(
      int episodes, double[] lstmHours, double[] news2Hours, double lstmShare, double news2Share) {
    public static double median(double[] v) {
      if (v.length == 0) {
        return Double.NaN;
      }
      double[] s = v.clone();
      java.util.Arrays.sort(s);
      return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
  }

  /** Per episode type (null key: stable patients), onset to first LSTM and NEWS2 alert. */
  public static Map<EpisodeType, TimeToAlert> timeToAlert(
      ModelBundle bundle, int patients, long seed) {
    Instant start = Instant.parse("2024-06-01T00:00:00Z");
    List<SimulatedPatient> cohort =
        CohortSimulator.cohort(
            patients, 2.0 / 3, start, Duration.ofHours(24), Duration.ofHours(48), seed);
    WindowAssembler assembler = new WindowAssembler(bundle.windowHours());
    List<PatientWindow> windows = new ArrayList<>();
    List<Instant> onsets = new ArrayList<>();
    for (SimulatedPatient p : cohort) {
      Instant onset = p.episode() == null ? start.plus(Duration.ofHours(36)) : p.episode().onset();
      Instant first =
          onset.truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(PatientWindow.HOUR);
      Map<Long, HourSummary[]> buckets =
          buckets(p.readings(start, first.plus(Duration.ofHours(ALERT_SPAN_HOURS))));
      for (int h = 0; h < ALERT_SPAN_HOURS; h++) {
        windows.add(
            assembler.assemble(
                first.plus(Duration.ofHours(h)), buckets, (double) p.age(), p.sex(), start));
      }
      onsets.add(onset);
    }
    double[] risk = bundle.scorer().score(windows);
    double threshold = bundle.metadata().defaultThreshold();
    Map<EpisodeType, List<double[]>> byType = new java.util.HashMap<>();
    for (int i = 0; i < cohort.size(); i++) {
      double lstm = Double.NaN;
      double news2 = Double.NaN;
      int lstmWindows = 0;
      int news2Windows = 0;
      for (int h = 0; h < ALERT_SPAN_HOURS; h++) {
        int k = i * ALERT_SPAN_HOURS + h;
        double hours =
            Duration.between(onsets.get(i), windows.get(k).windowEnd()).toMinutes() / 60.0;
        boolean lstmAlert = risk[k] >= threshold;
        boolean news2Alert = io.vigil.scoring.train.News2Baseline.total(windows.get(k)) >= 5;
        lstmWindows += lstmAlert ? 1 : 0;
        news2Windows += news2Alert ? 1 : 0;
        if (lstmAlert && Double.isNaN(lstm)) {
          lstm = hours;
        }
        if (news2Alert && Double.isNaN(news2)) {
          news2 = hours;
        }
      }
      byType
          .computeIfAbsent(
              cohort.get(i).episode() == null ? null : cohort.get(i).episode().type(),
              k -> new ArrayList<>())
          .add(new double[] {lstm, news2, lstmWindows, news2Windows});
    }
    Map<EpisodeType, TimeToAlert> out = new java.util.HashMap<>();
    byType.forEach(
        (type, rows) -> {
          double[] lstm =
              rows.stream().mapToDouble(r -> r[0]).filter(d -> !Double.isNaN(d)).toArray();
          double[] news2 =
              rows.stream().mapToDouble(r -> r[1]).filter(d -> !Double.isNaN(d)).toArray();
          double lstmShare;
          double news2Share;
          if (type == null) {
            double all = rows.size() * (double) ALERT_SPAN_HOURS;
            lstmShare = rows.stream().mapToDouble(r -> r[2]).sum() / all;
            news2Share = rows.stream().mapToDouble(r -> r[3]).sum() / all;
          } else {
            lstmShare = lstm.length / (double) rows.size();
            news2Share = news2.length / (double) rows.size();
          }
          out.put(type, new TimeToAlert(rows.size(), lstm, news2, lstmShare, news2Share));
        });
    return out;
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
      Map<Long, HourSummary[]> buckets = buckets(p.readings(start, afterEnd));
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

  /** Hour buckets of a simulated patient's readings, as the scoring topology holds them. */
  private static Map<Long, HourSummary[]> buckets(List<SimulatedReading> readings) {
    HourBuckets buckets = new HourBuckets();
    for (SimulatedReading reading : readings) {
      buckets.add(reading.vital(), reading.value(), reading.time());
    }
    return buckets.buckets();
  }

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] argv) {
    System.exit(new CommandLine(new DeteriorationCheck()).execute(argv));
  }

  @Override
  public Integer call() throws Exception {
    usage.require(patients >= 1, "--patients must be at least 1, got " + patients);
    ModelBundle bundle =
        bundleDir != null ? ModelBundle.load(bundleDir) : ModelBundle.loadDefault();
    Result r = run(bundle, patients, seed);
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
    Map<EpisodeType, TimeToAlert> times = timeToAlert(bundle, patients, seed);
    System.out.printf(
        Locale.ROOT,
        "onset to first alert within %d h: %-12s %9s %11s %12s %12s%n",
        ALERT_SPAN_HOURS,
        "episode",
        "episodes",
        "LSTM median",
        "NEWS2 median",
        "LSTM flagged / NEWS2 flagged");
    java.util.List<EpisodeType> keys =
        new ArrayList<>(java.util.Arrays.asList(EpisodeType.values()));
    keys.add(null);
    for (EpisodeType t : keys) {
      TimeToAlert a = times.get(t);
      if (a == null) {
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          "%-12s %9d %9.1f h %10.1f h %12.2f %12.2f%s%n",
          t == null ? "stable" : t,
          a.episodes(),
          TimeToAlert.median(a.lstmHours()),
          TimeToAlert.median(a.news2Hours()),
          a.lstmShare(),
          a.news2Share(),
          t == null ? " (share of hourly windows above)" : "");
    }
    return 0;
  }
}
