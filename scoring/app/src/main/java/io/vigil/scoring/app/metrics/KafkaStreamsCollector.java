package io.vigil.scoring.app.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Exposes Kafka Streams' own metrics (threads, tasks, state stores, and the embedded consumer and
 * producer) as Prometheus gauges named {@code kafka_streams_<group>_<name>}, with Kafka's tags as
 * labels. Kafka's tags name threads, tasks, stores and clients, never records, so no patient
 * identifier can leak into a label.
 */
public final class KafkaStreamsCollector implements MultiCollector {
  private final Supplier<Map<MetricName, ? extends Metric>> metrics;

  public KafkaStreamsCollector(Supplier<Map<MetricName, ? extends Metric>> metrics) {
    this.metrics = metrics;
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, List<Map.Entry<MetricName, Double>>> families = new TreeMap<>();
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.get().entrySet()) {
      Object value;
      try {
        value = entry.getValue().metricValue();
      } catch (RuntimeException e) {
        continue;
      }
      if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
        continue;
      }
      MetricName name = entry.getKey();
      String family =
          PrometheusNaming.sanitizeMetricName(
              "kafka_streams_" + clean(name.group()) + "_" + clean(name.name()));
      families
          .computeIfAbsent(family, k -> new ArrayList<>())
          .add(Map.entry(name, number.doubleValue()));
    }
    List<MetricSnapshot> snapshots = new ArrayList<>();
    for (Map.Entry<String, List<Map.Entry<MetricName, Double>>> family : families.entrySet()) {
      try {
        GaugeSnapshot.Builder gauge =
            GaugeSnapshot.builder()
                .name(family.getKey())
                .help(family.getValue().get(0).getKey().description());
        Map<Labels, Boolean> seen = new LinkedHashMap<>();
        for (Map.Entry<MetricName, Double> point : family.getValue()) {
          Labels.Builder labels = Labels.builder();
          for (Map.Entry<String, String> tag : new TreeMap<>(point.getKey().tags()).entrySet()) {
            labels.label(PrometheusNaming.sanitizeLabelName(clean(tag.getKey())), tag.getValue());
          }
          Labels built = labels.build();
          if (seen.putIfAbsent(built, true) == null) {
            gauge.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .value(point.getValue())
                    .labels(built)
                    .build());
          }
        }
        snapshots.add(gauge.build());
      } catch (IllegalArgumentException e) {
        // A family Prometheus cannot represent (clashing names) is left out rather than failing
        // the whole scrape.
      }
    }
    return new MetricSnapshots(dedupe(snapshots));
  }

  private static List<MetricSnapshot> dedupe(List<MetricSnapshot> snapshots) {
    Map<String, MetricSnapshot> byName = new LinkedHashMap<>();
    for (MetricSnapshot s : snapshots) {
      byName.putIfAbsent(s.getMetadata().getPrometheusName(), s);
    }
    return new ArrayList<>(byName.values());
  }

  private static String clean(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
  }
}
