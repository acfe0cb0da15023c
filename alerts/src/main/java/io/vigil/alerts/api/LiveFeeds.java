package io.vigil.alerts.api;

import io.micronaut.http.sse.Event;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.metrics.AlertMetrics;
import io.vigil.alerts.view.AlertSummary;
import io.vigil.alerts.view.AlertView;
import io.vigil.alerts.ward.WardRow;
import io.vigil.alerts.ward.WardView;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Sinks;

/**
 * The events of one nurse's live stream: {@code ready}, then every change of her teams' alerts
 * ({@code alert}) and ward overview rows ({@code patient}), and a heartbeat comment every 15 s.
 *
 * <p>Changes are handed to the client as fast as it reads (Reactor demand, which the HTTP server
 * ties to the connection's writes), never faster: what it has not read yet waits in the stream's
 * {@link LiveBacklog}, one event per alert and per patient in its newest state, alerts first. A
 * client that falls behind in a flood (every patient's first row at start, a ward that is busy) so
 * receives fewer events, each the current state of what changed, instead of being disconnected.
 * Only when more than {@code vigil.alerts.live.max-pending} distinct alerts and patients wait is
 * the stream ended (logged, counted in {@code vigil_alerts_live_streams_ended_total}); the client
 * reconnects and reads the whole state, as after any reconnect.
 *
 * <p>A client may take fewer kinds of event ({@link #kinds}): an outreach team's alert board or a
 * pager bridge that shows no ward overview takes {@code alert} only, and so never waits on, or pays
 * for, the rows of every patient of its teams.
 */
@Singleton
public final class LiveFeeds {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeeds.class);
  static final String ALERT = "alert";
  static final String PATIENT = "patient";

  /** Every kind of change event, in the order a {@code events} value names them. */
  static final Set<String> ALL_KINDS = Set.of(ALERT, PATIENT);

  /** A waiting event and its kind, for the metrics once it is sent. */
  private record Outgoing(String kind, Event<?> event) {}

  private final AlertView view;
  private final WardView ward;
  private final AlertMetrics metrics;
  private final int maxPending;
  private final Set<LiveBacklog<Outgoing>> open = ConcurrentHashMap.newKeySet();

  public LiveFeeds(AlertView view, WardView ward, AlertMetrics metrics, AlertsConfig config) {
    this.view = view;
    this.ward = ward;
    this.metrics = metrics;
    this.maxPending = config.live().maxPending();
    metrics.liveStreams(
        open::size,
        () -> open.stream().mapToInt(LiveBacklog::size).sum(),
        () -> open.stream().mapToInt(LiveBacklog::size).max().orElse(0));
  }

  /**
   * The kinds of change event a stream's {@code events} parameter asks for: every kind when it is
   * absent or empty, else its comma-separated names ({@code alert}, {@code patient}).
   *
   * @throws IllegalArgumentException naming the value when it holds anything else
   */
  static Set<String> kinds(String events) {
    if (events == null || events.isBlank()) {
      return ALL_KINDS;
    }
    Set<String> kinds = new java.util.TreeSet<>();
    for (String kind : events.split(",", -1)) {
      String k = kind.strip();
      if (!ALL_KINDS.contains(k)) {
        throw new IllegalArgumentException(
            "events must name alert, patient or both, comma-separated; '"
                + (events.length() > 64 ? events.substring(0, 64) + "..." : events)
                + "' does not");
      }
      kinds.add(k);
    }
    return Set.copyOf(kinds);
  }

  /**
   * The stream of {@code teams} ({@code tenant/team}) for {@code user} (named in the log only),
   * with the change events of {@code kinds} ({@link #kinds}).
   */
  public Flux<Event<?>> open(Set<String> teams, String user, Set<String> kinds) {
    Sinks.Empty<Void> ended = Sinks.empty();
    Flux<Event<?>> changes =
        Flux.create(
            (FluxSink<Event<?>> sink) -> feed(sink, teams, user, kinds, ended),
            // Nothing is emitted beyond demand, so this buffer stays empty.
            FluxSink.OverflowStrategy.BUFFER);
    // A comment every 15 s keeps proxies from closing an idle stream; one a slow client has no
    // room for is not needed.
    Flux<Event<?>> heartbeat =
        Flux.interval(Duration.ofSeconds(15))
            .onBackpressureDrop()
            .<Event<?>>map(i -> Event.of("").comment("keep-alive"))
            .takeUntilOther(ended.asMono());
    return Flux.merge(Flux.just(Event.of("ready").name("ready")), changes, heartbeat);
  }

  private void feed(
      FluxSink<Event<?>> sink,
      Set<String> teams,
      String user,
      Set<String> kinds,
      Sinks.Empty<Void> ended) {
    LiveBacklog<Outgoing> backlog = new LiveBacklog<>(ALERT, maxPending);
    AtomicLong demand = new AtomicLong();
    AtomicInteger drains = new AtomicInteger();
    AtomicBoolean over = new AtomicBoolean();
    // One thread at a time sends; a drain asked for meanwhile is done by that thread's loop.
    Runnable drain =
        () -> {
          if (drains.getAndIncrement() != 0) {
            return;
          }
          int missed = 1;
          do {
            while (demand.get() > 0 && !sink.isCancelled()) {
              Outgoing next = backlog.poll();
              if (next == null) {
                break;
              }
              demand.decrementAndGet();
              metrics.liveSent(next.kind());
              sink.next(next.event());
            }
            missed = drains.addAndGet(-missed);
          } while (missed != 0);
        };
    LiveOffer offer =
        (kind, id, event) -> {
          if (over.get()) {
            return;
          }
          LiveBacklog.Offer result =
              backlog.offer(new LiveBacklog.Key(kind, id), new Outgoing(kind, event));
          if (result == LiveBacklog.Offer.FULL) {
            if (over.compareAndSet(false, true)) {
              LOG.warn(
                  "live stream of {} ended: more than {} alerts and patients were waiting to be"
                      + " sent (vigil.alerts.live.max-pending); the client reconnects and reads"
                      + " the whole state",
                  user,
                  maxPending);
              metrics.liveStreamEnded(AlertMetrics.LIVE_TOO_FAR_BEHIND);
              backlog.clear();
              sink.complete();
              ended.tryEmitEmpty();
            }
            return;
          }
          if (result == LiveBacklog.Offer.CONFLATED) {
            metrics.liveConflated(kind);
          }
          // Queued or replaced: sent when the client has room.
          drain.run();
        };
    Runnable unsubscribe =
        kinds.contains(ALERT)
            ? view.subscribe(
                (AlertSummary a) -> {
                  if (view.visibleTo(a, teams)) {
                    offer.accept(ALERT, a.alertId(), Event.of(a).name(ALERT).id(a.alertId()));
                  }
                })
            : () -> {};
    // The ward overview's changes, one row per changed patient of my teams.
    Runnable unsubscribeWard =
        kinds.contains(PATIENT)
            ? ward.subscribe(
                rows -> {
                  for (WardRow r : rows) {
                    if (teams.contains(r.team())) {
                      offer.accept(PATIENT, r.patient(), Event.of(r).name(PATIENT).id(r.patient()));
                    }
                  }
                })
            : () -> {};
    open.add(backlog);
    sink.onRequest(
        n -> {
          demand.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
          drain.run();
        });
    sink.onDispose(
        () -> {
          unsubscribe.run();
          unsubscribeWard.run();
          open.remove(backlog);
          backlog.clear();
          ended.tryEmitEmpty();
        });
  }

  /** Hands one change to a stream's backlog. */
  @FunctionalInterface
  private interface LiveOffer {
    void accept(String kind, String id, Event<?> event);
  }
}
