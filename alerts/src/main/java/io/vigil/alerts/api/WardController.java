package io.vigil.alerts.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.audit.ReadAudit;
import io.vigil.alerts.security.CareTeams;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.streams.VitalsHistory;
import io.vigil.alerts.tenancy.TeamKeys;
import io.vigil.alerts.view.AlertHistoryEntry;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.ward.WardRow;
import io.vigil.alerts.ward.WardView;
import io.vigil.schemas.PatientKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ward overview and a patient's page. The overview lists every patient of the nurse's care
 * teams ({@code tenant/team}): those whose patients.context names the team (or, without a care
 * team, the tenant's fallback team) and those with an open alert routed to it, sickest first. A
 * patient of another tenant answers exactly as one that does not exist (404 {@code
 * patient-not-found}); one of another team of the nurse's tenant 403 {@code not-your-care-team}.
 * Every read is written to {@code audit.reads} before it is answered.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public final class WardController {
  private final WardView ward;
  private final AlertView alerts;
  private final AlertsStreams streams;
  private final CareTeams careTeams;
  private final ReadAudit audit;

  public WardController(
      WardView ward,
      AlertView alerts,
      AlertsStreams streams,
      CareTeams careTeams,
      ReadAudit audit) {
    this.ward = ward;
    this.alerts = alerts;
    this.streams = streams;
    this.careTeams = careTeams;
    this.audit = audit;
  }

  /** The overview: the nurse's teams, when a patient counts as not sending, the rows. */
  @Serdeable
  public record Ward(List<String> teams, long staleAfterMinutes, List<WardRow> patients) {}

  /**
   * A patient's page: the row, the 24 h risk evidence, every alert with its transitions, and the
   * hourly summaries of each vital over the {@link VitalsHistory#KEPT} up to {@code to} (the newest
   * reading or score, so a replayed past stay shows its own days).
   */
  @Serdeable
  public record PatientPage(
      WardRow patient,
      RiskDetails risk,
      List<AlertWithHistory> alerts,
      Instant from,
      Instant to,
      List<VitalsHistory.Series> vitalSigns) {}

  /** One alert of the patient and its transitions, oldest first. */
  @Serdeable
  public record AlertWithHistory(AlertSummary alert, List<AlertHistoryEntry> history) {}

  @Get("/ward")
  public HttpResponse<?> ward(Authentication auth, HttpRequest<?> request) {
    Set<String> teams = careTeams.of(auth);
    List<WardRow> rows = rows(teams);
    for (Map.Entry<String, TreeSet<String>> tenant : TeamKeys.byTenant(teams).entrySet()) {
      int shown = (int) rows.stream().filter(r -> tenant.getKey().equals(r.tenant())).count();
      if (!audit.record(
          auth,
          request,
          ReadAudit.WARD,
          tenant.getKey(),
          ReadAudit.SCOPE,
          "teams=" + String.join(",", tenant.getValue()),
          ReadAudit.Outcome.SERVED,
          shown)) {
        return AlertsController.auditUnavailable();
      }
    }
    return HttpResponse.ok(
        new Ward(teams.stream().sorted().toList(), ward.staleAfter().toMinutes(), rows));
  }

  /** The rows of {@code teams}, each with its open alerts for the team, by acuity. */
  List<WardRow> rows(Set<String> teams) {
    Map<String, WardRow> rows = new LinkedHashMap<>();
    ward.rowsFor(teams).forEach(r -> rows.put(r.patient(), r));
    Map<String, List<AlertSummary>> open = new HashMap<>();
    for (AlertSummary a : alerts.openFor(teams)) {
      if (!a.patient().isEmpty()) {
        open.computeIfAbsent(a.patient(), p -> new ArrayList<>()).add(a);
      }
    }
    for (Map.Entry<String, List<AlertSummary>> e : open.entrySet()) {
      WardRow row = rows.get(e.getKey());
      String team = e.getValue().get(0).teamKey();
      if (row == null) {
        // Routed to my team while the overview has the patient elsewhere (or not at all).
        row =
            ward.find(e.getKey())
                .map(r -> withTeam(r, team))
                .orElseGet(() -> WardRow.empty(e.getKey(), team));
      }
      rows.put(e.getKey(), withAlerts(row, e.getValue()));
    }
    List<WardRow> out = new ArrayList<>(rows.values());
    out.sort(WardRow::compareAcuity);
    return out;
  }

  private static WardRow withTeam(WardRow r, String team) {
    return new WardRow(
        r.patient(),
        team,
        r.vitals(),
        r.acvpu(),
        r.acvpuAt(),
        r.news2(),
        r.previousNews2(),
        r.news2Complete(),
        r.singleParameter3(),
        r.news2Band(),
        r.risk(),
        r.previousRisk(),
        r.riskThreshold(),
        r.riskTrend(),
        r.windowEnd(),
        r.lastReading(),
        r.spo2Scale2(),
        r.oxygen(),
        0,
        0,
        null,
        false,
        false);
  }

  private static WardRow withAlerts(WardRow row, List<AlertSummary> open) {
    int unacked = 0;
    boolean escalated = false;
    AlertSummary top = null;
    for (AlertSummary a : open) {
      if (a.unacknowledged()) {
        unacked++;
        escalated |= a.tier() > 0;
      }
      if (top == null || a.priorityRank() < top.priorityRank()) {
        top = a;
      }
    }
    return row.withAlerts(open.size(), unacked, top == null ? null : top.priority(), escalated);
  }

  /** One patient's page; {@code key} is the patient key {@code tenant/patientId}. */
  @Get("/patient{?key}")
  public HttpResponse<?> patient(
      @Nullable @QueryValue String key, Authentication auth, HttpRequest<?> request) {
    String tenant;
    String id;
    try {
      io.vigil.schemas.common.PatientKey parsed = PatientKeys.parse(key);
      tenant = parsed.getTenant();
      id = parsed.getPatientId();
      key = PatientKeys.format(PatientKeys.of(tenant, id));
    } catch (RuntimeException e) {
      return Problems.of(
          io.micronaut.http.HttpStatus.BAD_REQUEST,
          "bad-patient-key",
          "Bad patient key",
          "key: the patient key, tenant/patientId");
    }
    Set<String> teams = careTeams.of(auth);
    Optional<WardRow> row = ward.find(key);
    List<AlertSummary> all = alerts.ofPatient(key);
    boolean known = row.isPresent() || !all.isEmpty();
    if (!known || !careTeams.tenantsOf(auth).contains(tenant)) {
      boolean recorded =
          known
              ? audit.record(
                  auth,
                  request,
                  ReadAudit.PATIENT,
                  tenant,
                  id,
                  null,
                  ReadAudit.Outcome.NOT_FOUND,
                  0)
              : audit.record(
                  auth,
                  request,
                  ReadAudit.PATIENT,
                  careTeams.tenantsOf(auth).size() == 1
                      ? careTeams.tenantsOf(auth).iterator().next()
                      : ReadAudit.SCOPE,
                  ReadAudit.UNKNOWN_PATIENT,
                  null,
                  ReadAudit.Outcome.NOT_FOUND,
                  0);
      if (!recorded) {
        return AlertsController.auditUnavailable();
      }
      return Problems.of(
          io.micronaut.http.HttpStatus.NOT_FOUND,
          "patient-not-found",
          "Patient not found",
          "no such patient");
    }
    List<AlertSummary> mine = all.stream().filter(a -> teams.contains(a.teamKey())).toList();
    boolean myTeam = row.isPresent() && teams.contains(row.get().team());
    if (!myTeam && mine.stream().noneMatch(AlertSummary::open)) {
      if (!audit.record(
          auth, request, ReadAudit.PATIENT, tenant, id, null, ReadAudit.Outcome.FORBIDDEN, 0)) {
        return AlertsController.auditUnavailable();
      }
      return Problems.forbidden(
          "not-your-care-team", "this patient belongs to a care team you are not in");
    }
    String patientKey = key;
    WardRow shown = row.orElseGet(() -> WardRow.empty(patientKey, mine.get(0).teamKey()));
    if (!myTeam) {
      shown = withTeam(shown, mine.get(0).teamKey());
    }
    shown = withAlerts(shown, mine.stream().filter(AlertSummary::open).toList());
    List<AlertWithHistory> history =
        mine.stream().map(a -> new AlertWithHistory(a, alerts.history(a.alertId()))).toList();
    if (!audit.record(
        auth,
        request,
        ReadAudit.PATIENT,
        tenant,
        id,
        null,
        ReadAudit.Outcome.SERVED,
        1 + history.size())) {
      return AlertsController.auditUnavailable();
    }
    Instant to = Instant.now();
    if (shown.lastReading() != null && shown.lastReading().isBefore(to)) {
      to = shown.lastReading();
    }
    if (shown.windowEnd() != null && shown.windowEnd().isAfter(to)) {
      to = shown.windowEnd();
    }
    Instant from = to.minus(VitalsHistory.KEPT);
    return HttpResponse.ok(
        new PatientPage(
            shown,
            RiskDetails.of(streams.riskHistory(patientKey, Instant.EPOCH)),
            history,
            from,
            to,
            streams.vitalsHistory(patientKey, from, to)));
  }

  /**
   * The outcomes nurses gave when resolving alerts of my teams, per team, cause and outcome: the
   * false alarms are the feedback the ward and the model need. Counts only, no patient.
   */
  @Get("/outcomes")
  public List<AlertView.OutcomeCount> outcomes(Authentication auth) {
    return alerts.outcomesFor(careTeams.of(auth));
  }
}
