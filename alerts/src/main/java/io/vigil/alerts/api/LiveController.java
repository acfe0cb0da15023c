package io.vigil.alerts.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.vigil.alerts.audit.ReadAudit;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.security.CareTeams;
import io.vigil.kit.access.TeamKeys;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.publisher.Flux;

/**
 * Server-sent events: every change to an alert of the nurse's teams ({@code tenant/team}) and the
 * service's own TECHNICAL alerts that concern them, as it happens ({@code alert}), and every change
 * to a patient of the ward overview of those teams ({@code patient}: the patient's row, or its
 * {@code gone} signal when the patient left the team). The stream rides on the alert view: when the
 * view's reader restarts, open streams stay open and carry on with what it reads. A client that
 * reads slowly gets each alert's and patient's newest state rather than every step ({@link
 * LiveFeeds}). {@code ?events=alert} asks for the {@code alert} events only (an alert board or
 * pager bridge without the ward overview); {@code events} naming anything but {@code alert} and
 * {@code patient} is answered 400 {@code invalid-events}.
 *
 * <p>A user holds at most {@code vigil.alerts.live.max-streams-per-user} streams at once; one more
 * is answered 429 {@code too-many-streams} with {@code Retry-After}. Every subscription is written
 * to {@code audit.reads} (one record per tenant of the user's teams) before the stream opens; one
 * that cannot be audited is answered 503 {@code audit-unavailable}.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
public final class LiveController {
  /** Seconds a refused subscriber is told to wait before trying again. */
  static final int RETRY_AFTER_SECONDS = 30;

  private final LiveFeeds live;
  private final CareTeams careTeams;
  private final ReadAudit audit;
  private final int maxPerUser;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  public LiveController(LiveFeeds live, CareTeams careTeams, ReadAudit audit, AlertsConfig config) {
    this.live = live;
    this.careTeams = careTeams;
    this.audit = audit;
    this.maxPerUser = config.live().maxStreamsPerUser();
  }

  @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<?> stream(
      Authentication auth, HttpRequest<?> request, @Nullable @QueryValue String events) {
    Set<String> kinds;
    try {
      kinds = LiveFeeds.kinds(events);
    } catch (IllegalArgumentException e) {
      return Problems.of(
          HttpStatus.BAD_REQUEST, "invalid-events", "Invalid events", e.getMessage());
    }
    Set<String> teams = careTeams.of(auth);
    String holder = careTeams.tenantsOf(auth) + "|" + auth.getName();
    if (!acquire(holder)) {
      return Problems.of(
              HttpStatus.TOO_MANY_REQUESTS,
              "too-many-streams",
              "Too many live streams",
              "you already have "
                  + maxPerUser
                  + " live streams open; close one (another tab or device) and try again")
          .header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
    }
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            open.computeIfPresent(holder, (k, n) -> n <= 1 ? null : n - 1);
          }
        };
    Map<String, TreeSet<String>> teamsByTenant = TeamKeys.byTenant(teams);
    for (Map.Entry<String, TreeSet<String>> tenant : teamsByTenant.entrySet()) {
      if (!audit.record(
          auth,
          request,
          ReadAudit.STREAM,
          tenant.getKey(),
          ReadAudit.SCOPE,
          "teams="
              + String.join(",", tenant.getValue())
              + (kinds.equals(LiveFeeds.ALL_KINDS) ? "" : " events=" + String.join(",", kinds)),
          ReadAudit.Outcome.SERVED,
          0)) {
        release.run();
        return AlertsController.auditUnavailable();
      }
    }
    Flux<Event<?>> changes =
        live.open(teams, auth.getName(), kinds).doFinally(signal -> release.run());
    return HttpResponse.ok(changes).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
  }

  private boolean acquire(String holder) {
    AtomicBoolean admitted = new AtomicBoolean();
    open.compute(
        holder,
        (k, n) -> {
          int now = n == null ? 0 : n;
          if (now >= maxPerUser) {
            return n;
          }
          admitted.set(true);
          return now + 1;
        });
    return admitted.get();
  }
}
