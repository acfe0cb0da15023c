package io.vigil.scoring.train;

import io.vigil.scoring.model.Json;
import io.vigil.scoring.model.PlattCalibration;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The logistic-regression baseline trained next to a bundle on the same split and inputs, saved as
 * {@value #FILE} in the bundle folder so that evaluation compares the two on any data.
 *
 * @param model the fitted regression
 * @param calibration Platt calibration fitted on validation
 * @param threshold alert threshold chosen on validation by the same alert budget as the LSTM
 */
public record LogisticBaseline(
    LogisticRegression model, PlattCalibration calibration, double threshold) {
  public static final String FILE = "baseline-logistic.json";

  public double[] score(float[] packed, int n) {
    double[] p = model.predictAll(packed, n);
    for (int i = 0; i < n; i++) {
      p[i] = calibration.apply(p[i]);
    }
    return p;
  }

  public void save(Path dir) throws IOException {
    Json.MAPPER.writeValue(dir.resolve(FILE).toFile(), this);
  }

  public static LogisticBaseline load(Path dir) throws IOException {
    return Json.MAPPER.readValue(dir.resolve(FILE).toFile(), LogisticBaseline.class);
  }
}
