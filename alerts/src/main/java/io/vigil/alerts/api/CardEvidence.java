package io.vigil.alerts.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.streams.AlertsStreams.Part;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The evidence of alert cards (the patient's 24 h of risk scores before the newest window): read
 * here when this instance holds the patient's risk history, else asked of the instance that does
 * ({@code /api/patient/history?part=risk}) with the nurse's own credential, as the patient view
 * does. For a list, one request per patient, all at once, each waiting at most {@code
 * vigil.alerts.forward-timeout}. When nobody can answer, the evidence says why instead of being
 * empty.
 */
@Singleton
public final class CardEvidence {
  /** At most this many owners are asked at once, over all lists being answered. */
  static final int PARALLEL = 8;

  private final AlertsStreams streams;
  private final HistoryForwarder forwarder;
  private final JsonMapper json;
  private final Duration timeout;
  private final ExecutorService asking;

  /** A patient's evidence; {@code unavailable} (risk empty) says why it cannot be shown now. */
  public record Evidence(RiskDetails risk, String unavailable) {
    static Evidence missing(String why) {
      return new Evidence(RiskDetails.of(List.of()), why);
    }
  }

  public CardEvidence(
      AlertsStreams streams, HistoryForwarder forwarder, JsonMapper json, AlertsConfig config) {
    this.streams = streams;
    this.forwarder = forwarder;
    this.json = json;
    this.timeout = config.forwardTimeout();
    AtomicInteger n = new AtomicInteger();
    this.asking =
        Executors.newFixedThreadPool(
            PARALLEL,
            r -> {
              Thread t = new Thread(r, "card-evidence-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  @PreDestroy
  void close() {
    asking.shutdownNow();
  }

  /** The evidence of one alert's card. */
  public Evidence of(AlertSummary alert, HttpRequest<?> request) {
    return forAll(List.of(alert), request).get(alert.patient());
  }

  /** The evidence of every patient of {@code alerts}, by patient key; asked of owners at once. */
  public Map<String, Evidence> forAll(Collection<AlertSummary> alerts, HttpRequest<?> request) {
    Map<String, Evidence> out = new LinkedHashMap<>();
    Map<String, Future<Evidence>> asked = new LinkedHashMap<>();
    for (AlertSummary a : alerts) {
      String patient = a.patient();
      if (out.containsKey(patient) || asked.containsKey(patient)) {
        continue;
      }
      PatientKey key = key(patient);
      if (key == null) {
        // A technical alert of no patient: there is no risk history to show.
        out.put(patient, new Evidence(RiskDetails.of(List.of()), null));
        continue;
      }
      AlertsStreams.Where where = streams.locate(Part.RISK, key);
      if (where instanceof AlertsStreams.Where.Here here) {
        out.put(patient, local(patient, here.partition()));
      } else if (where instanceof AlertsStreams.Where.Unavailable u) {
        out.put(patient, Evidence.missing(u.reason()));
      } else {
        AlertsStreams.Where.Elsewhere elsewhere = (AlertsStreams.Where.Elsewhere) where;
        try {
          asked.put(patient, asking.submit(() -> ask(elsewhere, patient, request)));
        } catch (java.util.concurrent.RejectedExecutionException e) {
          out.put(patient, Evidence.missing("the alert service is stopping"));
        }
      }
    }
    long deadline = System.nanoTime() + timeout.plusSeconds(1).toNanos();
    for (Map.Entry<String, Future<Evidence>> e : asked.entrySet()) {
      try {
        out.put(
            e.getKey(),
            e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (TimeoutException ex) {
        e.getValue().cancel(true);
        out.put(
            e.getKey(),
            Evidence.missing(
                "the instance holding it did not answer within " + timeout.toSeconds() + " s"));
      } catch (ExecutionException ex) {
        out.put(e.getKey(), Evidence.missing("asking the instance holding it failed: " + ex));
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        out.put(e.getKey(), Evidence.missing("interrupted while asking the instance holding it"));
      }
    }
    return out;
  }

  private Evidence local(String patient, int partition) {
    try {
      List<RiskScore> history = streams.riskHistory(patient, Instant.EPOCH, partition);
      return new Evidence(RiskDetails.of(RiskDetails.lastDay(history)), null);
    } catch (AlertsStreams.NotQueryable e) {
      return Evidence.missing(e.getMessage());
    }
  }

  private Evidence ask(
      AlertsStreams.Where.Elsewhere where, String patient, HttpRequest<?> request) {
    try {
      HistoryForwarder.Answer answer =
          forwarder.get(
              where.owner(),
              "/api/patient/history?key="
                  + URLEncoder.encode(patient, StandardCharsets.UTF_8)
                  + "&part=risk",
              request);
      if (answer.status() != 200) {
        return Evidence.missing(
            "the instance holding it answered "
                + answer.status()
                + ": "
                + HistoryForwarder.detail(answer, json));
      }
      WardController.PatientHistory history =
          json.readValue(answer.body(), WardController.PatientHistory.class);
      if (history.risk() == null) {
        return Evidence.missing("the instance holding it answered without the risk history");
      }
      return new Evidence(history.risk().lastDay(), null);
    } catch (HistoryForwarder.Unreachable e) {
      return Evidence.missing(e.getMessage());
    } catch (IOException | RuntimeException e) {
      return Evidence.missing("the instance holding it gave an answer that cannot be read: " + e);
    }
  }

  private static PatientKey key(String patient) {
    if (patient == null || patient.isEmpty()) {
      return null;
    }
    try {
      return PatientKeys.parse(patient);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
