package io.vigil.scoring.app.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.vigil.kit.access.TeamKeys;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.kit.problem.ProblemRenderer;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.access.Scope;
import io.vigil.schemas.common.PatientKey;
import io.vigil.scoring.app.ScoringRuntime;
import io.vigil.scoring.app.access.AccessConfig;
import io.vigil.scoring.app.access.Caller;
import io.vigil.scoring.app.access.Callers;
import io.vigil.scoring.app.audit.ReadAudit;
import io.vigil.scoring.app.problem.ProblemType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The risk API: {@code GET /api/patients/{tenant}/{patientId}/risk?from=&to=&revisions=}.
 *
 * <p>Who may read: a platform's API key with the {@code read} scope, for its own tenant's patients
 * (403 without the scope), or a signed-in nurse, for patients whose care teams (their tenant's
 * {@code tenant/team}; a patient without one is in the fallback team) include one of theirs. Any
 * other patient answers 404 exactly as a patient this service knows nothing about, so the answer
 * tells nobody whether another tenant's or team's patient exists. No credential: 401.
 *
 * <p>Every answered read is audited ({@link ReadAudit}) by the instance that answers it: a request
 * for a patient another instance owns is forwarded there with the caller's credential ({@link
 * Forwarder}) and authorised and audited there.
 */
@Controller("/api/patients")
@Secured(SecurityRule.IS_AUTHENTICATED)
public final class RiskController {
  private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z");

  /** One body for every patient the caller may not see or that does not exist. */
  private static final Problem NOT_FOUND =
      Problem.of(
          ProblemType.NOT_FOUND,
          "no such patient for this credential (unknown here, or not one it may read)");

  private final ScoringRuntime runtime;
  private final ProblemRenderer problems;
  private final Callers callers;
  private final ReadAudit audit;
  private final Forwarder forwarder;
  private final String fallbackTeam;

  public RiskController(
      ScoringRuntime runtime,
      Callers callers,
      ReadAudit audit,
      Forwarder forwarder,
      AccessConfig access,
      ProblemRenderer problems) {
    this.problems = problems;
    this.runtime = runtime;
    this.callers = callers;
    this.audit = audit;
    this.forwarder = forwarder;
    this.fallbackTeam = access.fallbackTeam();
  }

  @Get(uri = "/{tenant}/{patientId}/risk", produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> risk(
      HttpRequest<?> request,
      @PathVariable String tenant,
      @PathVariable String patientId,
      Authentication authentication) {
    Caller caller = callers.of(authentication);
    PatientKey patient;
    try {
      patient = PatientKeys.of(tenant, patientId);
    } catch (IllegalArgumentException e) {
      throw new ProblemException(ProblemType.INVALID_PATIENT, e.getMessage());
    }
    String query = request.getUri().getRawQuery();
    String remote = request.getRemoteAddress().getAddress().getHostAddress();
    if (caller instanceof Caller.ApiKey key && !key.principal().has(Scope.READ)) {
      audit.record(caller, patient, query, ReadAudit.Outcome.FORBIDDEN, 0, remote);
      throw new ProblemException(
          Problem.of(
                  ProblemType.INSUFFICIENT_SCOPE,
                  "API key "
                      + key.id()
                      + " lacks the 'read' scope this endpoint requires; it has: "
                      + (key.principal().scopes().isEmpty()
                          ? "none"
                          : Scope.format(key.principal().scopes())))
              .with("requiredScope", Scope.READ.code()));
    }
    if (!caller.tenants().contains(patient.getTenant())) {
      return notFound(caller, patient, query, remote);
    }
    Instant from = instant(request, "from", Instant.EPOCH);
    Instant to = instant(request, "to", END_OF_TIME);
    if (!to.isAfter(from)) {
      throw new ProblemException(
          ProblemType.INVALID_TIME, "to (" + to + ") must be after from (" + from + ")");
    }
    String revisions = request.getParameters().getFirst("revisions").orElse("false");
    if (!revisions.equals("true") && !revisions.equals("false")) {
      throw new ProblemException(
          ProblemType.INVALID_REVISIONS,
          "revisions must be true or false, got '" + revisions + "'");
    }
    RiskQueries queries =
        new RiskQueries(() -> runtime.service().map(s -> s.streams()).orElse(null));
    Optional<KeyQueryMetadata> owner;
    try {
      owner = queries.owner(patient);
    } catch (IllegalStateException e) {
      owner = Optional.empty();
    }
    if (owner.isEmpty()) {
      throw Forwarder.unavailable("partitions are being assigned; retry shortly");
    }
    if (!RiskQueries.isHost(owner.get(), runtime.advertised())) {
      if (request.getHeaders().contains(Forwarder.FORWARDED)) {
        throw Forwarder.unavailable(
            "the instances disagree about who owns this patient; retry shortly");
      }
      return forwarder.forward(request, owner.get().activeHost());
    }
    int partition = owner.get().partition();
    List<RiskQueries.Scored> scores;
    try {
      if (!queries.exists(patient, partition) || !mayRead(caller, patient, queries, partition)) {
        return notFound(caller, patient, query, remote);
      }
      scores = queries.local(patient, partition, from, to, Boolean.parseBoolean(revisions));
    } catch (InvalidStateStoreException e) {
      throw Forwarder.unavailable("the score store is being restored or moved: " + e.getMessage());
    }
    audit.record(caller, patient, query, ReadAudit.Outcome.SERVED, scores.size(), remote);
    return HttpResponse.ok(
            RiskJson.response(patient, from.toString(), to.toString(), scores).toString())
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  /** API keys read their whole tenant; a user reads the patients of their care teams. */
  private boolean mayRead(Caller caller, PatientKey patient, RiskQueries queries, int partition) {
    if (caller instanceof Caller.ApiKey) {
      return true;
    }
    Set<String> patientTeams = new HashSet<>();
    for (String team : queries.careTeams(patient, partition)) {
      if (!team.isBlank()) { // ingest refuses blank teams; a record written straight may hold one
        patientTeams.add(TeamKeys.of(patient.getTenant(), team));
      }
    }
    if (patientTeams.isEmpty()) {
      patientTeams.add(TeamKeys.of(patient.getTenant(), fallbackTeam));
    }
    Set<String> teams = ((Caller.User) caller).teams();
    return patientTeams.stream().anyMatch(teams::contains);
  }

  /** The same answer whether the patient does not exist or is not the caller's to read. */
  private HttpResponse<String> notFound(
      Caller caller, PatientKey patient, String query, String remote) {
    audit.record(caller, patient, query, ReadAudit.Outcome.NOT_FOUND, 0, remote);
    return problems.render(null, NOT_FOUND);
  }

  private static Instant instant(HttpRequest<?> request, String name, Instant fallback) {
    String value = request.getParameters().getFirst(name).orElse(null);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new ProblemException(
          ProblemType.INVALID_TIME,
          name + " must be an ISO-8601 instant such as 2026-01-31T08:00:00Z, got '" + value + "'");
    }
  }
}
