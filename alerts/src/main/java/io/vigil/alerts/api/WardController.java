package io.vigil.alerts.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.audit.ReadAudit;
import io.vigil.alerts.security.CareTeams;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.streams.AlertsStreams.Part;
import io.vigil.alerts.streams.VitalsHistory;
import io.vigil.alerts.view.AlertHistoryEntry;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.ward.WardRow;
import io.vigil.alerts.ward.WardView;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
  private final HistoryForwarder forwarder;
  private final JsonMapper json;

  public WardController(
      WardView ward,
      AlertView alerts,
      AlertsStreams streams,
      CareTeams careTeams,
      ReadAudit audit,
      HistoryForwarder forwarder,
      JsonMapper json) {
    this.ward = ward;
    this.alerts = alerts;
    this.streams = streams;
    this.careTeams = careTeams;
    this.audit = audit;
    this.forwarder = forwarder;
    this.json = json;
  }

  /** The overview: the nurse's teams, when a patient counts as not sending, the rows. */
  @Serdeable
  public record Ward(List<String> teams, long staleAfterMinutes, List<WardRow> patients) {}

  /**
   * A patient's page: the row, the risk evidence with the 72 h trend, every alert with its
   * transitions, and the hourly summaries of each vital over the {@link VitalsHistory#KEPT} up to
   * {@code to} (the newest reading or score, so a replayed past stay shows its own days). The risk
   * and the vitals are read from whichever instance holds them; {@code unavailable} names a part
   * nobody could answer for now (its fields are then empty, not a patient without history).
   */
  @Serdeable
  public record PatientPage(
      WardRow patient,
      RiskDetails risk,
      List<AlertWithHistory> alerts,
      Instant from,
      Instant to,
      List<VitalsHistory.Series> vitalSigns,
      List<Unavailable> unavailable) {}

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
    Access access = access(key, auth, request, ReadAudit.PATIENT);
    if (access.denial() != null) {
      return access.denial();
    }
    WardRow shown = access.row();
    List<AlertWithHistory> history =
        access.alerts().stream()
            .map(a -> new AlertWithHistory(a, alerts.history(a.alertId())))
            .toList();
    if (!audit.record(
        auth,
        request,
        ReadAudit.PATIENT,
        access.patient().getTenant(),
        access.patient().getPatientId(),
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
    List<Unavailable> unavailable = new ArrayList<>();
    PatientHistory risk = part(Part.RISK, access.patient(), from, to, request, unavailable);
    PatientHistory vitals = part(Part.VITALS, access.patient(), from, to, request, unavailable);
    return HttpResponse.ok(
        new PatientPage(
            shown,
            risk == null ? RiskDetails.of(List.of()) : risk.risk(),
            history,
            from,
            to,
            vitals == null ? VitalsHistory.empty() : vitals.vitalSigns(),
            unavailable));
  }

  /**
   * One part of a patient's history ({@code part} {@code risk}: the 72 h risk scores with the
   * newest window's evidence; {@code vitals}: the hourly vitals from {@code from} to {@code to},
   * default the 72 h up to the newest reading), answered by the instance that holds it: another
   * instance asks its owner for it with the caller's credential, and the owner checks the care team
   * and audits the read. 503 {@code history-unavailable} while nobody can answer (rebalancing,
   * restoring, owner unreachable).
   */
  @Get("/patient/history{?key,part,from,to}")
  public HttpResponse<?> history(
      @Nullable @QueryValue String key,
      @Nullable @QueryValue String part,
      @Nullable @QueryValue String from,
      @Nullable @QueryValue String to,
      Authentication auth,
      HttpRequest<?> request) {
    Part which = "risk".equals(part) ? Part.RISK : "vitals".equals(part) ? Part.VITALS : null;
    if (which == null) {
      return Problems.of(
          HttpStatus.BAD_REQUEST, "bad-history-part", "Bad history part", "part: risk or vitals");
    }
    PatientKey patient = parse(key);
    if (patient == null) {
      return badKey();
    }
    Instant start;
    Instant end;
    try {
      start = from == null || from.isBlank() ? null : Instant.parse(from);
      end = to == null || to.isBlank() ? null : Instant.parse(to);
    } catch (DateTimeParseException e) {
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "bad-time",
          "Bad time",
          "from, to: ISO-8601 instants such as 2026-01-31T08:00:00Z");
    }
    if (start != null && end != null && !end.isAfter(start)) {
      return Problems.of(HttpStatus.BAD_REQUEST, "bad-time", "Bad time", "to must be after from");
    }
    AlertsStreams.Where where = streams.locate(which, patient);
    if (where instanceof AlertsStreams.Where.Elsewhere elsewhere) {
      if (HistoryForwarder.isForwarded(request)) {
        return historyUnavailable(
            which, "the instances disagree about who holds it (partitions moving)");
      }
      try {
        HistoryForwarder.Answer answer =
            forwarder.get(elsewhere.owner(), request.getUri().toString(), request);
        MutableHttpResponse<String> relayed =
            HttpResponse.<String>status(HttpStatus.valueOf(answer.status()))
                .body(answer.body())
                .contentType(
                    answer.status() < 300 ? MediaType.APPLICATION_JSON : Problems.MEDIA_TYPE);
        if (answer.retryAfter() != null) {
          relayed.header("Retry-After", answer.retryAfter());
        }
        return relayed;
      } catch (HistoryForwarder.Unreachable e) {
        return historyUnavailable(which, e.getMessage());
      }
    }
    if (where instanceof AlertsStreams.Where.Unavailable u) {
      return historyUnavailable(which, u.reason());
    }
    int partition = ((AlertsStreams.Where.Here) where).partition();
    Access access = access(key, auth, request, ReadAudit.HISTORY);
    if (access.denial() != null) {
      return access.denial();
    }
    if (end == null) {
      end = access.row().lastReading() == null ? Instant.now() : access.row().lastReading();
      if (access.row().windowEnd() != null && access.row().windowEnd().isAfter(end)) {
        end = access.row().windowEnd();
      }
    }
    if (start == null) {
      start = end.minus(VitalsHistory.KEPT);
    }
    PatientHistory answer;
    try {
      answer = local(which, PatientKeys.format(patient), start, end, partition);
    } catch (AlertsStreams.NotQueryable e) {
      return historyUnavailable(which, e.getMessage());
    }
    if (!audit.record(
        auth,
        request,
        ReadAudit.HISTORY,
        patient.getTenant(),
        patient.getPatientId(),
        "part=" + which.wire(),
        ReadAudit.Outcome.SERVED,
        answer.records())) {
      return AlertsController.auditUnavailable();
    }
    return HttpResponse.ok(answer);
  }

  /** Why a part of the patient's history is not on the page now; the page asks again shortly. */
  @Serdeable
  public record Unavailable(String part, String detail) {}

  /** One part of a patient's history: {@code risk} or {@code vitalSigns}, the other null. */
  @Serdeable
  public record PatientHistory(
      String patient,
      String part,
      Instant from,
      Instant to,
      @Nullable RiskDetails risk,
      @Nullable List<VitalsHistory.Series> vitalSigns) {
    int records() {
      return risk != null
          ? risk.trend().size()
          : vitalSigns.stream().mapToInt(s -> s.hours().size()).sum();
    }
  }

  private PatientHistory local(Part part, String patient, Instant from, Instant to, int partition) {
    return part == Part.RISK
        ? new PatientHistory(
            patient,
            part.wire(),
            from,
            to,
            RiskDetails.of(streams.riskHistory(patient, Instant.EPOCH, partition)),
            null)
        : new PatientHistory(
            patient,
            part.wire(),
            from,
            to,
            null,
            streams.vitalsHistory(patient, from, to, partition));
  }

  /**
   * The page's part: read here when this instance holds it, else asked of the instance that does;
   * null (and the reason added to {@code unavailable}) when nobody can answer now.
   */
  private PatientHistory part(
      Part part,
      PatientKey patient,
      Instant from,
      Instant to,
      HttpRequest<?> request,
      List<Unavailable> unavailable) {
    String key = PatientKeys.format(patient);
    AlertsStreams.Where where = streams.locate(part, patient);
    try {
      if (where instanceof AlertsStreams.Where.Here here) {
        return local(part, key, from, to, here.partition());
      }
      if (where instanceof AlertsStreams.Where.Unavailable u) {
        unavailable.add(new Unavailable(part.wire(), u.reason()));
        return null;
      }
      HistoryForwarder.Answer answer =
          forwarder.get(
              ((AlertsStreams.Where.Elsewhere) where).owner(),
              "/api/patient/history?key="
                  + URLEncoder.encode(key, StandardCharsets.UTF_8)
                  + "&part="
                  + part.wire()
                  + "&from="
                  + from
                  + "&to="
                  + to,
              request);
      if (answer.status() == 200) {
        return json.readValue(answer.body(), PatientHistory.class);
      }
      unavailable.add(
          new Unavailable(
              part.wire(),
              "the instance holding it answered "
                  + answer.status()
                  + ": "
                  + HistoryForwarder.detail(answer, json)));
    } catch (AlertsStreams.NotQueryable | HistoryForwarder.Unreachable e) {
      unavailable.add(new Unavailable(part.wire(), e.getMessage()));
    } catch (IOException e) {
      unavailable.add(
          new Unavailable(
              part.wire(), "the instance holding it gave an answer that cannot be read: " + e));
    }
    return null;
  }

  static HttpResponse<?> historyUnavailable(Part part, String why) {
    return Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "history-unavailable",
            "History unavailable",
            "the patient's "
                + (part == Part.RISK ? "risk" : "vitals")
                + " history cannot be read"
                + " now: "
                + why
                + "; retry shortly")
        .header("Retry-After", "2");
  }

  /** Who may see the patient, and what of them; {@code denial} set when the answer is refused. */
  private record Access(
      PatientKey patient, WardRow row, List<AlertSummary> alerts, HttpResponse<?> denial) {
    static Access denied(HttpResponse<?> denial) {
      return new Access(null, null, null, denial);
    }
  }

  private static PatientKey parse(String key) {
    try {
      PatientKey parsed = PatientKeys.parse(key);
      return PatientKeys.of(parsed.getTenant(), parsed.getPatientId());
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static HttpResponse<?> badKey() {
    return Problems.of(
        HttpStatus.BAD_REQUEST,
        "bad-patient-key",
        "Bad patient key",
        "key: the patient key, tenant/patientId");
  }

  /**
   * The patient's row and the alerts of the user's teams, or the refusal: 400 for a bad key, 404
   * (recorded under {@code action}) for an unknown patient or another tenant's, 403 for another
   * team's patient without an open alert routed to the user's team. Every instance can tell, as the
   * ward and alert views are built whole on each.
   */
  private Access access(String rawKey, Authentication auth, HttpRequest<?> request, String action) {
    PatientKey patient = parse(rawKey);
    if (patient == null) {
      return Access.denied(badKey());
    }
    String tenant = patient.getTenant();
    String id = patient.getPatientId();
    String key = PatientKeys.format(patient);
    Set<String> teams = careTeams.of(auth);
    Optional<WardRow> row = ward.find(key);
    List<AlertSummary> all = alerts.ofPatient(key);
    boolean known = row.isPresent() || !all.isEmpty();
    if (!known || !careTeams.tenantsOf(auth).contains(tenant)) {
      boolean recorded =
          known
              ? audit.record(
                  auth, request, action, tenant, id, null, ReadAudit.Outcome.NOT_FOUND, 0)
              : audit.record(
                  auth,
                  request,
                  action,
                  careTeams.tenantsOf(auth).size() == 1
                      ? careTeams.tenantsOf(auth).iterator().next()
                      : ReadAudit.SCOPE,
                  ReadAudit.UNKNOWN_PATIENT,
                  null,
                  ReadAudit.Outcome.NOT_FOUND,
                  0);
      if (!recorded) {
        return Access.denied(AlertsController.auditUnavailable());
      }
      return Access.denied(
          Problems.of(
              HttpStatus.NOT_FOUND, "patient-not-found", "Patient not found", "no such patient"));
    }
    List<AlertSummary> mine = all.stream().filter(a -> teams.contains(a.teamKey())).toList();
    boolean myTeam = row.isPresent() && teams.contains(row.get().team());
    if (!myTeam && mine.stream().noneMatch(AlertSummary::open)) {
      if (!audit.record(auth, request, action, tenant, id, null, ReadAudit.Outcome.FORBIDDEN, 0)) {
        return Access.denied(AlertsController.auditUnavailable());
      }
      return Access.denied(
          Problems.forbidden(
              "not-your-care-team", "this patient belongs to a care team you are not in"));
    }
    WardRow shown = row.orElseGet(() -> WardRow.empty(key, mine.get(0).teamKey()));
    if (!myTeam) {
      shown = withTeam(shown, mine.get(0).teamKey());
    }
    shown = withAlerts(shown, mine.stream().filter(AlertSummary::open).toList());
    return new Access(patient, shown, mine, null);
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
