package io.vigil.alerts.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.audit.ReadAudit;
import io.vigil.alerts.delivery.DeliveryLog;
import io.vigil.alerts.fhir.FhirJson;
import io.vigil.alerts.fhir.FhirRenderer;
import io.vigil.alerts.security.CareTeams;
import io.vigil.alerts.security.CsrfTokens;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.alerts.view.AlertView;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.alerts.AcknowledgeReason;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.alerts.ResolveOutcome;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The nurse API. A nurse sees and acts only on alerts of their care teams ({@code tenant/team}). An
 * alert of another tenant answers exactly as an alert that does not exist (404, same body, the same
 * in-memory lookup), so alert ids reveal nothing across tenants; an alert of another team of the
 * nurse's own tenant answers 403. Every read of patient data (the list, an alert's detail, FHIR and
 * deliveries, whether served or refused) is written to {@code audit.reads} before it is answered; a
 * read that cannot be audited is answered 503 {@code audit-unavailable}.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AlertsController {
  private final AlertView view;
  private final ActionPublisher actions;
  private final CareTeams careTeams;
  private final CsrfTokens csrf;
  private final DeliveryLog deliveries;
  private final FhirJson fhirJson;
  private final ReadAudit audit;
  private final CardEvidence evidence;

  public AlertsController(
      AlertView view,
      ActionPublisher actions,
      CareTeams careTeams,
      CsrfTokens csrf,
      DeliveryLog deliveries,
      FhirJson fhirJson,
      ReadAudit audit,
      CardEvidence evidence) {
    this.view = view;
    this.actions = actions;
    this.careTeams = careTeams;
    this.csrf = csrf;
    this.deliveries = deliveries;
    this.fhirJson = fhirJson;
    this.audit = audit;
    this.evidence = evidence;
  }

  /** Who is signed in, their tenants and teams ({@code tenant/team}), the CSRF token for POSTs. */
  @Serdeable
  public record Me(String user, List<String> tenants, List<String> teams, String csrfToken) {}

  /**
   * What a nurse gives with an action: a note, and the reason (acknowledge: {@link
   * AcknowledgeReason}) or the outcome (resolve: {@link ResolveOutcome}) by enum name; all
   * optional, but OTHER needs a note that says what.
   */
  @Serdeable
  public record ActionRequest(
      @Nullable String note, @Nullable String reason, @Nullable String outcome) {}

  @Get("/me")
  public Me me(Authentication auth) {
    return new Me(
        auth.getName(),
        careTeams.tenantsOf(auth).stream().toList(),
        careTeams.of(auth).stream().sorted().toList(),
        csrf.tokenFor(auth.getName()));
  }

  @Get("/alerts")
  public HttpResponse<?> open(Authentication auth, HttpRequest<?> request) {
    Set<String> teams = careTeams.of(auth);
    List<AlertSummary> open = view.listFor(teams, Instant.now());
    Map<String, CardEvidence.Evidence> byPatient = evidence.forAll(open, request);
    List<AlertCard> cards =
        open.stream()
            .map(
                a -> {
                  CardEvidence.Evidence e = byPatient.get(a.patient());
                  return new AlertCard(a, e.risk(), e.unavailable());
                })
            .toList();
    Map<String, TreeSet<String>> teamsByTenant = TeamKeys.byTenant(teams);
    for (Map.Entry<String, TreeSet<String>> tenant : teamsByTenant.entrySet()) {
      int shown =
          (int) cards.stream().filter(c -> tenant.getKey().equals(c.alert().tenant())).count();
      if (!audit.record(
          auth,
          request,
          ReadAudit.LIST,
          tenant.getKey(),
          ReadAudit.SCOPE,
          "teams=" + String.join(",", tenant.getValue()),
          ReadAudit.Outcome.SERVED,
          shown)) {
        return auditUnavailable();
      }
    }
    return HttpResponse.ok(cards);
  }

  @Get("/alerts/{id}")
  public HttpResponse<?> one(@PathVariable String id, Authentication auth, HttpRequest<?> request) {
    Optional<AlertSummary> alert = view.find(id);
    HttpResponse<?> denied = deny(alert, id, auth, request, ReadAudit.DETAIL);
    if (denied != null) {
      return denied;
    }
    if (!audited(auth, request, ReadAudit.DETAIL, alert.get(), id, 1)) {
      return auditUnavailable();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alert", alert.get());
    CardEvidence.Evidence risk = evidence.of(alert.get(), request);
    body.put("risk", risk.risk());
    if (risk.unavailable() != null) {
      body.put("riskUnavailable", risk.unavailable());
    }
    body.put("history", view.history(id));
    body.put("deliveries", deliveries.forAlert(id));
    return HttpResponse.ok(body);
  }

  @Get("/alerts/{id}/fhir")
  public HttpResponse<?> fhir(
      @PathVariable String id, Authentication auth, HttpRequest<?> request) {
    Optional<AlertSummary> alert = view.find(id);
    HttpResponse<?> denied = deny(alert, id, auth, request, ReadAudit.FHIR);
    if (denied != null) {
      return denied;
    }
    // The RiskAssessment states the newest score: without it the bundle would be wrong, not short.
    CardEvidence.Evidence risk = evidence.of(alert.get(), request);
    if (risk.unavailable() != null) {
      return WardController.historyUnavailable(AlertsStreams.Part.RISK, risk.unavailable());
    }
    // Two resources: the Flag and the RiskAssessment.
    if (!audited(auth, request, ReadAudit.FHIR, alert.get(), id, 2)) {
      return auditUnavailable();
    }
    // Typed here: no Micronaut codec is registered for application/fhir+json.
    String body = fhirJson.write(FhirRenderer.bundle(alert.get(), risk.risk()));
    return HttpResponse.ok(body).contentType(FhirJson.MEDIA_TYPE);
  }

  @Get("/alerts/{id}/deliveries")
  public HttpResponse<?> deliveries(
      @PathVariable String id, Authentication auth, HttpRequest<?> request) {
    Optional<AlertSummary> alert = view.find(id);
    HttpResponse<?> denied = deny(alert, id, auth, request, ReadAudit.DELIVERIES);
    if (denied != null) {
      return denied;
    }
    var list = deliveries.forAlert(id);
    if (!audited(auth, request, ReadAudit.DELIVERIES, alert.get(), id, list.size())) {
      return auditUnavailable();
    }
    return HttpResponse.ok(list);
  }

  @Post("/alerts/{id}/acknowledge")
  public HttpResponse<?> acknowledge(
      @PathVariable String id,
      @Nullable @Body ActionRequest body,
      @Nullable @Header("Idempotency-Key") String idempotencyKey,
      Authentication auth)
      throws Exception {
    return act(id, AlertActionType.ACKNOWLEDGE, body, idempotencyKey, auth);
  }

  @Post("/alerts/{id}/resolve")
  public HttpResponse<?> resolve(
      @PathVariable String id,
      @Nullable @Body ActionRequest body,
      @Nullable @Header("Idempotency-Key") String idempotencyKey,
      Authentication auth)
      throws Exception {
    return act(id, AlertActionType.RESOLVE, body, idempotencyKey, auth);
  }

  private HttpResponse<?> act(
      String id,
      AlertActionType type,
      ActionRequest body,
      String idempotencyKey,
      Authentication auth)
      throws Exception {
    Optional<AlertSummary> alert = view.find(id);
    HttpResponse<?> denied = deny(alert, id, auth);
    if (denied != null) {
      return denied;
    }
    AlertSummary a = alert.get();
    if (!a.open()) {
      return Problems.conflict("alert-resolved", "alert " + id + " is already resolved");
    }
    if (type == AlertActionType.ACKNOWLEDGE && "ACKNOWLEDGED".equals(a.status())) {
      return Problems.conflict(
          "alert-acknowledged", "alert " + id + " was acknowledged by " + a.acknowledgedBy());
    }
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 100)) {
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "idempotency-key",
          "Bad Idempotency-Key",
          "Idempotency-Key must be 1 to 100 characters");
    }
    String note = body == null ? null : body.note();
    if (note != null && note.length() > 500) {
      return Problems.of(
          HttpStatus.BAD_REQUEST, "note-too-long", "Note too long", "note: at most 500 characters");
    }
    AcknowledgeReason reason;
    ResolveOutcome outcome;
    try {
      reason = choice(AcknowledgeReason.class, "reason", body == null ? null : body.reason());
      outcome = choice(ResolveOutcome.class, "outcome", body == null ? null : body.outcome());
    } catch (IllegalArgumentException e) {
      return Problems.of(HttpStatus.BAD_REQUEST, "bad-choice", "Unknown choice", e.getMessage());
    }
    if (type == AlertActionType.ACKNOWLEDGE && outcome != null) {
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "bad-choice",
          "Outcome on acknowledge",
          "outcome: only resolving an alert gives an outcome; acknowledging gives a reason");
    }
    if (type == AlertActionType.RESOLVE && reason != null) {
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "bad-choice",
          "Reason on resolve",
          "reason: only acknowledging an alert gives a reason; resolving gives an outcome");
    }
    if ((reason == AcknowledgeReason.OTHER || outcome == ResolveOutcome.OTHER)
        && (note == null || note.isBlank())) {
      return Problems.of(
          HttpStatus.BAD_REQUEST,
          "note-required",
          "Note required",
          "note: say what the other " + (reason != null ? "reason" : "outcome") + " is");
    }
    String actionId =
        idempotencyKey != null
            ? auth.getName() + ":" + idempotencyKey
            : UUID.randomUUID().toString();
    AlertAction action =
        AlertAction.newBuilder()
            .setActionId(actionId)
            .setAlertId(id)
            .setAction(type)
            .setActor(auth.getName())
            .setTime(Instant.now())
            .setNote(note)
            .setReason(reason)
            .setOutcome(outcome)
            .build();
    try {
      actions.publish(a.patient(), action);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      return Problems.of(
              HttpStatus.SERVICE_UNAVAILABLE,
              "kafka-unavailable",
              "Action not recorded",
              "the action could not be written to Kafka; nothing was changed, try again")
          .header("Retry-After", "5");
    }
    return HttpResponse.accepted().body(Map.of("actionId", actionId, "alertId", id));
  }

  /** The enum constant named {@code value}, null when none is given; unknown names are refused. */
  private static <E extends Enum<E>> E choice(Class<E> type, String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(value)) {
        return e;
      }
    }
    throw new IllegalArgumentException(
        field
            + ": "
            + (value.length() > 40 ? value.substring(0, 40) + "..." : value)
            + " is not one of "
            + java.util.Arrays.toString(type.getEnumConstants()));
  }

  private HttpResponse<?> deny(Optional<AlertSummary> alert, String id, Authentication auth) {
    return deny(alert, id, auth, null, null);
  }

  /**
   * The refusal of a request for alert {@code id}, or null when the user may have it. A refused
   * read ({@code action} not null) is audited with its outcome: an alert of another tenant as
   * NOT_FOUND under its own patient key (the answer is the same as for a missing alert), a missing
   * alert under the user's tenant with patient id {@value ReadAudit#UNKNOWN_PATIENT}.
   */
  private HttpResponse<?> deny(
      Optional<AlertSummary> alert,
      String id,
      Authentication auth,
      HttpRequest<?> request,
      String action) {
    Set<String> teams = careTeams.of(auth);
    if (alert.isEmpty() || !careTeams.tenantsOf(auth).contains(alert.get().tenant())) {
      if (action != null) {
        boolean recorded;
        if (alert.isPresent() && !alert.get().tenant().isEmpty()) {
          recorded =
              audited(auth, request, action, alert.get(), id, 0, ReadAudit.Outcome.NOT_FOUND);
        } else {
          Set<String> tenants = careTeams.tenantsOf(auth);
          recorded =
              audit.record(
                  auth,
                  request,
                  action,
                  tenants.size() == 1 ? tenants.iterator().next() : ReadAudit.SCOPE,
                  ReadAudit.UNKNOWN_PATIENT,
                  "alertId=" + id,
                  ReadAudit.Outcome.NOT_FOUND,
                  0);
        }
        if (!recorded) {
          return auditUnavailable();
        }
      }
      return Problems.notFound("no such alert");
    }
    if (!teams.contains(alert.get().teamKey())) {
      if (action != null
          && !audited(auth, request, action, alert.get(), id, 0, ReadAudit.Outcome.FORBIDDEN)) {
        return auditUnavailable();
      }
      return Problems.forbidden(
          "not-your-care-team", "alert " + id + " belongs to a care team you are not in");
    }
    return null;
  }

  private boolean audited(
      Authentication auth,
      HttpRequest<?> request,
      String action,
      AlertSummary alert,
      String id,
      int records) {
    return audited(auth, request, action, alert, id, records, ReadAudit.Outcome.SERVED);
  }

  private boolean audited(
      Authentication auth,
      HttpRequest<?> request,
      String action,
      AlertSummary alert,
      String id,
      int records,
      ReadAudit.Outcome outcome) {
    String patient = alert.patient();
    return audit.record(
        auth,
        request,
        action,
        alert.tenant(),
        patient.substring(patient.indexOf('/') + 1),
        "alertId=" + id,
        outcome,
        records);
  }

  /** 503: a read that cannot be written to the audit trail is not served. */
  static HttpResponse<?> auditUnavailable() {
    return Problems.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "audit-unavailable",
            "Read not recorded",
            "the read could not be recorded in the audit trail; retry shortly")
        .header("Retry-After", "2");
  }
}
