package io.vigil.scoring.train;

import io.vigil.scoring.features.FeatureEncoder;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.scoring.model.Normaliser;
import io.vigil.scoring.model.RiskScorer;
import io.vigil.scoring.physionet.PhysioNetStay;
import java.util.List;
import java.util.function.Consumer;

/**
 * Every hourly window of a list of stays, encoded, normalised and packed {@code [n, features,
 * hours]} for DL4J, with labels, NEWS2 totals and stay boundaries ({@code stayStart[i]} is the
 * first row of stay i, {@code stayStart[stays]} = n).
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

  private EncodedSet(List<PhysioNetStay> stays, int hours, int n) {
    this.stays = stays;
    this.hours = hours;
    this.features = FeatureEncoder.FEATURES;
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
      List<PhysioNetStay> stays, int hours, Consumer<float[][]> consumer) {
    WindowAssembler assembler = new WindowAssembler(hours);
    for (PhysioNetStay stay : stays) {
      for (PatientWindow w : stay.windows(assembler)) {
        consumer.accept(FeatureEncoder.encode(w));
      }
    }
  }

  public static EncodedSet encode(List<PhysioNetStay> stays, int hours, Normaliser normaliser) {
    int n = stays.stream().mapToInt(s -> s.rows().size()).sum();
    EncodedSet set = new EncodedSet(stays, hours, n);
    WindowAssembler assembler = new WindowAssembler(hours);
    int row = 0;
    for (int s = 0; s < stays.size(); s++) {
      PhysioNetStay stay = stays.get(s);
      set.stayStart[s] = row;
      List<PatientWindow> windows = stay.windows(assembler);
      for (int r = 0; r < windows.size(); r++) {
        PatientWindow w = windows.get(r);
        RiskScorer.pack(normaliser.apply(FeatureEncoder.encode(w)), set.packed, row, hours);
        set.labels[row] = stay.rows().get(r).sepsisLabel();
        set.news2[row] = News2Baseline.total(w);
        row++;
      }
    }
    set.stayStart[stays.size()] = row;
    return set;
  }
}
