package io.vigil.alerts.api;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.sse.Event;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.vigil.alerts.security.CareTeams;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.alerts.view.AlertView;
import java.time.Duration;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Server-sent events: every change to an alert of the nurse's teams ({@code tenant/team}) and the
 * service's own TECHNICAL alerts that concern them, as it happens. The stream rides on the alert
 * view: when the view's reader restarts, open streams stay open and carry on with what it reads.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
public final class LiveController {
  private final AlertView view;
  private final CareTeams careTeams;

  public LiveController(AlertView view, CareTeams careTeams) {
    this.view = view;
    this.careTeams = careTeams;
  }

  @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
  public Publisher<Event<?>> stream(Authentication auth) {
    Set<String> teams = careTeams.of(auth);
    Flux<Event<?>> changes =
        Flux.create(
            (FluxSink<Event<?>> sink) -> {
              Runnable unsubscribe =
                  view.subscribe(
                      (AlertSummary a) -> {
                        if (view.visibleTo(a, teams)) {
                          sink.next(Event.of(a).name("alert").id(a.alertId()));
                        }
                      });
              sink.onDispose(unsubscribe::run);
            },
            FluxSink.OverflowStrategy.LATEST);
    // A comment every 15 s keeps proxies from closing an idle stream.
    Flux<Event<?>> heartbeat =
        Flux.interval(Duration.ofSeconds(15)).map(i -> Event.of("").comment("keep-alive"));
    return Flux.merge(Flux.just(Event.of("ready").name("ready")), changes, heartbeat);
  }
}
