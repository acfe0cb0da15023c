package io.vigil.scoring.train;

import io.vigil.scoring.features.FeatureSet;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.Normaliser;
import io.vigil.scoring.model.RiskScorer;
import io.vigil.scoring.physionet.StayWindows;
import io.vigil.tools.physionet.PhysioNetStay;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every hourly window of a list of stays, encoded, normalised and packed {@code [n, features,
 * steps]} for DL4J, with labels, NEWS2 totals and stay boundaries ({@code stayStart[i]} is the
 * first row of stay i, {@code stayStart[stays]} = n). Windows hold {@code windowHours} hours of
 * history; the network reads the last {@code hours} of them (its time steps).
 */
public final class EncodedSet {
  public final List<PhysioNetStay> stays;
  public final int hours;
  public final int features;
  public final int n;
  public final float[] packed;
  public final int[] labels;
  public final int[] news2;
  public final int[] stayStart;

  private EncodedSet(List<PhysioNetStay> stays, int features, int hours, int n) {
    this.stays = stays;
    this.hours = hours;
    this.features = features;
    this.n = n;
    this.packed = new float[Math.multiplyExact(n, features * hours)];
    this.labels = new int[n];
    this.news2 = new int[n];
    this.stayStart = new int[stays.size() + 1];
  }

  public int rowLength() {
    return features * hours;
  }

  /** Visits every window's raw (unnormalised) features, e.g. to fit a normaliser. */
  public static void forEachRaw(
      List<PhysioNetStay> stays,
      FeatureSet set,
      int windowHours,
      int steps,
      Consumer<float[][]> consumer) {
    forEachRaw(stays, set, windowHours, steps, (stay, row) -> true, consumer);
  }

  /** Visits the raw features of the windows {@code filter} keeps, in stay and row order. */
  public static void forEachRaw(
      List<PhysioNetStay> stays,
      FeatureSet set,
      int windowHours,
      int steps,
      RowFilter filter,
      Consumer<float[][]> consumer) {
    WindowAssembler assembler = new WindowAssembler(windowHours);
    for (PhysioNetStay stay : stays) {
      List<PatientWindow> windows = StayWindows.windows(stay, assembler);
      for (int r = 0; r < windows.size(); r++) {
        if (filter.keep(stay, r)) {
          consumer.accept(set.encode(windows.get(r), steps));
        }
      }
    }
  }

  /** The stays' windows as {@code bundle} reads them. */
  public static EncodedSet encode(List<PhysioNetStay> stays, ModelBundle bundle) {
    return encode(
        stays, bundle.featureSet(), bundle.windowHours(), bundle.steps(), bundle.normaliser());
  }

  public static EncodedSet encode(
      List<PhysioNetStay> stays,
      FeatureSet featureSet,
      int windowHours,
      int steps,
      Normaliser normaliser) {
    return encode(stays, featureSet, windowHours, steps, normaliser, (stay, row) -> true);
  }

  /** Which rows (hours) of a stay to keep, asked once per row in stay and row order. */
  @FunctionalInterface
  public interface RowFilter {
    boolean keep(PhysioNetStay stay, int row);
  }

  /** Only the rows {@code filter} keeps (e.g. a training sample), in stay and row order. */
  public static EncodedSet encode(
      List<PhysioNetStay> stays,
      FeatureSet featureSet,
      int windowHours,
      int steps,
      Normaliser normaliser,
      RowFilter filter) {
    boolean[][] kept = new boolean[stays.size()][];
    int n = 0;
    for (int s = 0; s < stays.size(); s++) {
      PhysioNetStay stay = stays.get(s);
      kept[s] = new boolean[stay.rows().size()];
      for (int r = 0; r < kept[s].length; r++) {
        kept[s][r] = filter.keep(stay, r);
        n += kept[s][r] ? 1 : 0;
      }
    }
    EncodedSet set = new EncodedSet(stays, featureSet.features(), steps, n);
    WindowAssembler assembler = new WindowAssembler(windowHours);
    int row = 0;
    for (int s = 0; s < stays.size(); s++) {
      PhysioNetStay stay = stays.get(s);
      set.stayStart[s] = row;
      List<PatientWindow> windows = StayWindows.windows(stay, assembler);
      for (int r = 0; r < windows.size(); r++) {
        if (!kept[s][r]) {
          continue;
        }
        PatientWindow w = windows.get(r);
        RiskScorer.pack(normaliser.apply(featureSet.encode(w, steps)), set.packed, row);
        set.labels[row] = stay.rows().get(r).sepsisLabel();
        set.news2[row] = News2Baseline.total(w);
        row++;
      }
    }
    set.stayStart[stays.size()] = row;
    return set;
  }
}
