package io.vigil.scoring.model;

import java.util.List;
import java.util.Map;

/**
 * What a bundle is and how it was made.
 *
 * @param version unique model version, carried on every risk score
 * @param createdAt ISO-8601 instant of training
 * @param features input feature names in column order
 * @param windowHours hours per window
 * @param label what the network predicts
 * @param config architecture and optimiser settings
 * @param seed seed of the split, sampling and weights
 * @param dataHash SHA-256 of the training data as read (file names and contents)
 * @param trainingCommand the command line that reproduces this bundle
 * @param metrics validation (and, once evaluated, test) figures
 * @param thresholds operating points; the first is the default
 */
public record BundleMetadata(
    String version,
    String createdAt,
    List<String> features,
    int windowHours,
    String label,
    ModelConfig config,
    long seed,
    String dataHash,
    String trainingCommand,
    Map<String, Object> metrics,
    List<ThresholdEntry> thresholds) {

  public BundleMetadata {
    features = List.copyOf(features);
    metrics = Map.copyOf(metrics);
    thresholds = List.copyOf(thresholds);
  }

  /** The default alert threshold (first row of the table), or 0.5 when the table is empty. */
  public double defaultThreshold() {
    return thresholds.isEmpty() ? 0.5 : thresholds.get(0).threshold();
  }

  public BundleMetadata withThresholds(List<ThresholdEntry> table) {
    return new BundleMetadata(
        version,
        createdAt,
        features,
        windowHours,
        label,
        config,
        seed,
        dataHash,
        trainingCommand,
        metrics,
        table);
  }

  public BundleMetadata withMetrics(Map<String, Object> m) {
    return new BundleMetadata(
        version,
        createdAt,
        features,
        windowHours,
        label,
        config,
        seed,
        dataHash,
        trainingCommand,
        m,
        thresholds);
  }
}
