package io.vigil.alerts.health;

import io.vigil.schemas.health.ServiceStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which partitions of the readings are scored, from the latest report of each scoring instance of
 * one application ({@code services.status}). A partition is covered while some instance that
 * reported within {@value #SILENT_AFTER_INTERVALS} of its report intervals (plus {@link #SKEW} for
 * clocks) processes it; every instance's patients hash to partitions, so the uncovered share of
 * partitions is the share of patients no one scores. The partition count expected is the largest
 * any report within the lookback gave: once an instance has reported, a stop of all instances shows
 * as nothing covered, not as nothing expected.
 */
public final class ScoringCoverage {
  /** Missed report intervals after which an instance counts as silent. */
  static final int SILENT_AFTER_INTERVALS = 3;

  /** Allowance for the clocks of the scoring and alerts hosts. */
  static final Duration SKEW = Duration.ofSeconds(5);

  /** What the reports say at one instant. */
  public record Verdict(int expected, int covered, List<String> problems) {
    /** True while every expected partition is scored (or no instance ever reported). */
    public boolean complete() {
      return covered >= expected;
    }

    /** Partitions no processing instance scores. */
    public int unscored() {
      return Math.max(0, expected - covered);
    }
  }

  private final String application;
  private final Duration lookback;
  private final Map<String, ServiceStatus> latest = new TreeMap<>();

  /**
   * @param application the scoring application id whose instances count (others are ignored)
   * @param lookback reports older than this are forgotten
   */
  public ScoringCoverage(String application, Duration lookback) {
    this.application = application;
    this.lookback = lookback;
  }

  /** Takes a report; an older report of the same instance than one already taken is ignored. */
  public void apply(ServiceStatus report) {
    if (!"scoring".equals(report.getService()) || !application.equals(report.getApplication())) {
      return;
    }
    latest.merge(
        report.getInstance(),
        report,
        (old, now) -> now.getTime().isBefore(old.getTime()) ? old : now);
  }

  /** The coverage at {@code now}; forgets reports older than the lookback. */
  public Verdict at(Instant now) {
    latest.values().removeIf(r -> r.getTime().isBefore(now.minus(lookback)));
    int expected = 0;
    BitSet covered = new BitSet();
    List<String> problems = new ArrayList<>();
    for (ServiceStatus r : latest.values()) {
      expected = Math.max(expected, r.getInputPartitions());
      Duration silentAfter =
          Duration.ofMillis(r.getIntervalMillis() * SILENT_AFTER_INTERVALS).plus(SKEW);
      if (r.getTime().plus(silentAfter).isBefore(now)) {
        if (!"STOPPED".equals(r.getState())) {
          problems.add(
              r.getInstance() + " silent since " + r.getTime().truncatedTo(ChronoUnit.SECONDS));
        }
      } else if (!r.getProcessing()) {
        if (!"STOPPED".equals(r.getState())) {
          problems.add(r.getInstance() + ": " + r.getReason());
        }
      } else {
        r.getActivePartitions().forEach(covered::set);
      }
    }
    return new Verdict(expected, covered.get(0, Math.max(expected, 1)).cardinality(), problems);
  }
}
