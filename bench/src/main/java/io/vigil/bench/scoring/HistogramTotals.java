package io.vigil.bench.scoring;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;

/**
 * The count and sum of one of the scoring service's histograms, over all its labels, read from its
 * registry: the benches take them before and after a run and print the difference.
 *
 * @param count observations so far
 * @param sum their total (seconds, windows...)
 */
record HistogramTotals(double count, double sum) {

  static HistogramTotals of(PrometheusRegistry registry, String name) {
    double count = 0;
    double sum = 0;
    for (var metric : registry.scrape()) {
      if (metric.getMetadata().getName().equals(name)) {
        for (var point : ((HistogramSnapshot) metric).getDataPoints()) {
          count += point.getCount();
          sum += point.getSum();
        }
      }
    }
    return new HistogramTotals(count, sum);
  }

  /** Seconds spent in DL4J calls so far ({@code vigil_scoring_inference_seconds}). */
  static double inferenceSeconds(PrometheusRegistry registry) {
    return of(registry, "vigil_scoring_inference_seconds").sum();
  }
}
