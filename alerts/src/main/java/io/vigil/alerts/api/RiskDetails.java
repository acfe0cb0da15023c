package io.vigil.alerts.api;

import io.micronaut.serde.annotation.Serdeable;
import io.vigil.schemas.News2SubScores;
import io.vigil.schemas.risk.News2Score;
import io.vigil.schemas.risk.RiskScore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evidence behind an alert: the newest window's NEWS2 breakdown, top contributing vitals, the
 * trend (24 h on an alert card, 72 h on the patient's page). {@code revision} and {@code
 * lateReadings} say whether the newest window was re-scored after readings arrived late.
 */
@Serdeable
public record RiskDetails(
    Instant windowEnd,
    Integer revision,
    Integer lateReadings,
    Double lstmRisk,
    Integer news2Total,
    Boolean news2Complete,
    Map<String, Integer> news2SubScores,
    List<String> news2Missing,
    List<Contributor> contributors,
    String modelVersion,
    List<TrendPoint> trend) {

  /** One vital's share of the LSTM risk. */
  @Serdeable
  public record Contributor(String vital, double attribution) {}

  /** One scored window. */
  @Serdeable
  public record TrendPoint(Instant t, Double lstmRisk, int news2) {}

  /** The scores of the 24 h before the newest window of {@code history} (oldest first). */
  public static List<RiskScore> lastDay(List<RiskScore> history) {
    if (history.isEmpty()) {
      return history;
    }
    Instant since =
        history.get(history.size() - 1).getWindowEnd().minus(java.time.Duration.ofHours(24));
    return history.stream().filter(s -> !s.getWindowEnd().isBefore(since)).toList();
  }

  /** These details with the trend cut to the 24 h before the newest window, as {@link #lastDay}. */
  public RiskDetails lastDay() {
    if (windowEnd == null || trend == null) {
      return this;
    }
    Instant since = windowEnd.minus(java.time.Duration.ofHours(24));
    return new RiskDetails(
        windowEnd,
        revision,
        lateReadings,
        lstmRisk,
        news2Total,
        news2Complete,
        news2SubScores,
        news2Missing,
        contributors,
        modelVersion,
        trend.stream().filter(p -> !p.t().isBefore(since)).toList());
  }

  public static RiskDetails of(List<RiskScore> history) {
    List<TrendPoint> trend =
        history.stream()
            .map(s -> new TrendPoint(s.getWindowEnd(), s.getLstmRisk(), s.getNews2().getTotal()))
            .toList();
    if (history.isEmpty()) {
      return new RiskDetails(
          null, null, null, null, null, null, Map.of(), List.of(), List.of(), null, trend);
    }
    RiskScore last = history.get(history.size() - 1);
    News2Score n = last.getNews2();
    Map<String, Integer> sub = new LinkedHashMap<>();
    News2SubScores.of(n)
        .forEach(
            (parameter, points) -> {
              if (points != null) {
                sub.put(parameter, points);
              }
            });
    List<Contributor> top =
        last.getContributors().stream()
            .sorted(
                (a, b) ->
                    Double.compare(Math.abs(b.getAttribution()), Math.abs(a.getAttribution())))
            .limit(3)
            .map(
                c ->
                    new Contributor(
                        c.getVital().name().toLowerCase(Locale.ROOT), c.getAttribution()))
            .toList();
    return new RiskDetails(
        last.getWindowEnd(),
        last.getRevision(),
        last.getLateReadings(),
        last.getLstmRisk(),
        n.getTotal(),
        n.getComplete(),
        sub,
        n.getMissing().stream().map(Enum::name).toList(),
        top,
        last.getModelVersion(),
        trend);
  }
}
