package io.vigil.alerts.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.delivery.DeliveryLog;
import io.vigil.alerts.fhir.FhirRenderer;
import io.vigil.alerts.security.CareTeams;
import io.vigil.alerts.security.CsrfTokens;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.alerts.view.AlertView;
import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertActionType;
import io.vigil.schemas.risk.RiskScore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The nurse API. A nurse sees and acts only on alerts of their care teams ({@code tenant/team}). An
 * alert of another tenant answers exactly as an alert that does not exist (404, same body, the same
 * in-memory lookup), so alert ids reveal nothing across tenants; an alert of another team of the
 * nurse's own tenant answers 403.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public final class AlertsController {
  private final AlertView view;
  private final AlertsStreams streams;
  private final ActionPublisher actions;
  private final CareTeams careTeams;
  private final CsrfTokens csrf;
  private final DeliveryLog deliveries;
  private final JsonMapper json;

  public AlertsController(
      AlertView view,
      AlertsStreams streams,
      ActionPublisher actions,
      CareTeams careTeams,
      CsrfTokens csrf,
      DeliveryLog deliveries,
      JsonMapper json) {
    this.view = view;
    this.streams = streams;
    this.actions = actions;
    this.careTeams = careTeams;
    this.csrf = csrf;
    this.deliveries = deliveries;
    this.json = json;
  }

  /** Who is signed in, their tenants and teams ({@code tenant/team}), the CSRF token for POSTs. */
  @Serdeable
  public record Me(String user, List<String> tenants, List<String> teams, String csrfToken) {}

  /** Optional note of a nurse action. */
  @Serdeable
  public record ActionRequest(@Nullable String note) {}

  @Get("/me")
  public Me me(Authentication auth) {
    return new Me(
        auth.getName(),
        careTeams.tenantsOf(auth).stream().toList(),
        careTeams.of(auth).stream().sorted().toList(),
        csrf.tokenFor(auth.getName()));
  }

  @Get("/alerts")
  public List<AlertCard> open(Authentication auth) {
    return view.openFor(careTeams.of(auth)).stream()
        .map(a -> new AlertCard(a, RiskDetails.of(history(a))))
        .toList();
  }

  @Get("/alerts/{id}")
  public HttpResponse<?> one(@PathVariable String id, Authentication auth) {
    Optional<AlertSummary> alert = view.find(id);
    HttpResponse<?> denied = deny(alert, id, auth);
    if (denied != null) {
      return denied;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("alert", alert.get());
    body.put("risk", RiskDetails.of(history(alert.get())));
    body.put("history", view.history(id));
    body.put("deliveries", deliveries.forAlert(id));
    return HttpResponse.ok(body);
  }

  @Get("/alerts/{id}/fhir")
  public HttpResponse<?> fhir(@PathVariable String id, Authentication auth)
      throws java.io.IOException {
    Optional<AlertSummary> alert = view.find(id);
    HttpResponse<?> denied = deny(alert, id, auth);
    if (denied != null) {
      return denied;
    }
    List<RiskScore> h = history(alert.get());
    // Encoded here: no codec is registered for application/fhir+json, which is plain JSON.
    String body =
        json.writeValueAsString(
            FhirRenderer.bundle(alert.get(), h.isEmpty() ? null : h.get(h.size() - 1)));
    return HttpResponse.ok(body).contentType(MediaType.of("application/fhir+json"));
  }

  @Get("/alerts/{id}/deliveries")
  public HttpResponse<?> deliveries(@PathVariable String id, Authentication auth) {
    Optional<AlertSummary> alert = view.find(id);
    HttpResponse<?> denied = deny(alert, id, auth);
    return denied != null ? denied : HttpResponse.ok(deliveries.forAlert(id));
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

  private HttpResponse<?> deny(Optional<AlertSummary> alert, String id, Authentication auth) {
    Set<String> teams = careTeams.of(auth);
    if (alert.isEmpty() || !careTeams.tenantsOf(auth).contains(alert.get().tenant())) {
      return Problems.notFound("no such alert");
    }
    if (!teams.contains(alert.get().teamKey())) {
      return Problems.forbidden(
          "not-your-care-team", "alert " + id + " belongs to a care team you are not in");
    }
    return null;
  }

  /**
   * The patient's stored scores: the store keeps the 24 h before the newest window (event time), so
   * replays of old stays get their trend too.
   */
  private List<RiskScore> history(AlertSummary a) {
    return streams.riskHistory(a.patient(), Instant.EPOCH);
  }
}
