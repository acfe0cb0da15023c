package io.vigil.scoring.model;

import io.vigil.schemas.Vital;
import io.vigil.schemas.risk.Contributor;
import io.vigil.scoring.features.PatientWindow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores windows with one bundle. Holds its own network copy and is NOT thread-safe: create one per
 * stream thread with {@link ModelBundle#scorer()} or {@link #copy()}.
 *
 * <p>Every call is one batched DL4J forward pass, so score many patients' windows together.
 */
public final class RiskScorer {
  private final ModelBundle bundle;
  private final MultiLayerNetwork network;

  RiskScorer(ModelBundle bundle, MultiLayerNetwork network) {
    this.bundle = bundle;
    this.network = network;
  }

  /** A scorer of the same bundle with its own network copy, for another thread. */
  public RiskScorer copy() {
    return bundle.scorer();
  }

  public String version() {
    return bundle.version();
  }

  public int windowHours() {
    return bundle.windowHours();
  }

  /** The bundle's default alert threshold for {@link #score}'s probabilities. */
  public double alertThreshold() {
    return bundle.metadata().defaultThreshold();
  }

  /** Calibrated probabilities of the predicted event, one per window, in order. */
  public double[] score(List<PatientWindow> windows) {
    double[] raw = rawScore(windows);
    PlattCalibration calibration = bundle.calibration();
    for (int i = 0; i < raw.length; i++) {
      raw[i] = calibration.apply(raw[i]);
    }
    return raw;
  }

  /** The network's uncalibrated P(event), one per window. */
  public double[] rawScore(List<PatientWindow> windows) {
    if (windows.isEmpty()) {
      return new double[0];
    }
    int hours = bundle.windowHours();
    int steps = bundle.steps();
    float[] flat = new float[windows.size() * bundle.featureSet().features() * steps];
    for (int i = 0; i < windows.size(); i++) {
      PatientWindow w = windows.get(i);
      if (w.hours() != hours) {
        throw new IllegalArgumentException(
            "model " + version() + " scores " + hours + "-hour windows, got " + w.hours());
      }
      pack(bundle.encode(w), flat, i);
    }
    return rawScore(flat, windows.size());
  }

  /**
   * Raw P(event) of {@code n} pre-encoded, normalised windows packed as {@code [n, features,
   * steps]} (see {@link #pack}); the training tools use this path.
   */
  public double[] rawScore(float[] packed, int n) {
    INDArray input =
        Nd4j.create(packed, new long[] {n, bundle.featureSet().features(), bundle.steps()}, 'c');
    INDArray out = network.output(input, false);
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      p[i] = out.getDouble(i, 1);
    }
    return p;
  }

  /**
   * Writes normalised {@code x[step][feature]} as row {@code row} of a {@code [n, F, T]} buffer.
   */
  public static void pack(float[][] x, float[] flat, int row) {
    int hours = x.length;
    int f = x[0].length;
    int base = row * f * hours;
    for (int t = 0; t < hours; t++) {
      for (int j = 0; j < f; j++) {
        flat[base + j * hours + t] = x[t][j];
      }
    }
  }

  /**
   * Top contributing vitals of each window by occlusion: each vital in turn is removed from the
   * window (treated as never observed: value missing, mask 0, hours-since at its cap), and its
   * attribution is the calibrated risk of the full window minus the risk without it. Positive
   * attribution means the vital's readings pushed the risk up. Returns, per window, at most {@code
   * topK} vitals with positive attribution, largest first. One DL4J call of {@code 8 × n} windows.
   */
  public List<List<Contributor>> explain(List<PatientWindow> windows, int topK) {
    Vital[] vitals = Vital.values();
    List<PatientWindow> batch = new ArrayList<>(windows.size() * (vitals.length + 1));
    for (PatientWindow w : windows) {
      batch.add(w);
      for (Vital v : vitals) {
        batch.add(w.without(v));
      }
    }
    double[] risk = score(batch);
    List<List<Contributor>> result = new ArrayList<>(windows.size());
    for (int i = 0; i < windows.size(); i++) {
      int base = i * (vitals.length + 1);
      List<Contributor> contributors = new ArrayList<>();
      for (int v = 0; v < vitals.length; v++) {
        double attribution = risk[base] - risk[base + 1 + v];
        if (attribution > 0 && windows.get(i).observedHours(vitals[v]) > 0) {
          contributors.add(new Contributor(vitals[v].type(), attribution));
        }
      }
      contributors.sort(Comparator.comparingDouble(Contributor::getAttribution).reversed());
      result.add(List.copyOf(contributors.subList(0, Math.min(topK, contributors.size()))));
    }
    return result;
  }
}
