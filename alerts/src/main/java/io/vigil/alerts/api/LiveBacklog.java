package io.vigil.alerts.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one live stream has not sent yet: at most one event per alert and one per patient, each in
 * its newest state, so a client that reads slowly costs memory in proportion to the alerts and
 * patients it can see, not to how often they change.
 *
 * <p>Events of the urgent kind (alerts) are sent before any other waiting event (ward rows): an
 * alert never waits behind the overview's rows, however many patients the nurse's teams hold and
 * however busy the ward is. Within a kind, a newer event replaces an unsent one of the same alert
 * or patient <em>in its place</em>: the queue is sent in the order in which things first changed
 * since the client last caught up, so a patient who changes all the time is not pushed back behind
 * everyone else (as moving it to the end would) and waits at most for what was queued before its
 * first change. The UI needs no order across alerts and patients (an {@code alert} event makes it
 * re-read the alert list, a {@code patient} event replaces that row).
 *
 * <p>Not thread-safe by itself: {@link LiveFeeds} offers from the views' reader threads and polls
 * from the draining one, holding this object's monitor.
 *
 * @param <E> the event type
 */
final class LiveBacklog<E> {
  /** What an event is about: its kind ({@code alert}, {@code patient}) and that thing's id. */
  record Key(String kind, String id) {}

  /** What became of an offered event. */
  enum Offer {
    /** Queued at the end of its kind: nothing of the same key was waiting. */
    QUEUED,
    /** Replaced an unsent event of the same key, in its place. */
    CONFLATED,
    /** Refused: {@code maxKeys} other keys are waiting already. */
    FULL
  }

  private final Map<Key, E> urgent = new LinkedHashMap<>();
  private final Map<Key, E> rest = new LinkedHashMap<>();
  private final String urgentKind;
  private final int maxKeys;

  /**
   * @param urgentKind the kind sent before every other
   * @param maxKeys how many alerts and patients may wait at once
   */
  LiveBacklog(String urgentKind, int maxKeys) {
    this.urgentKind = urgentKind;
    this.maxKeys = maxKeys;
  }

  synchronized Offer offer(Key key, E event) {
    Map<Key, E> queue = key.kind().equals(urgentKind) ? urgent : rest;
    // replace() keeps the key's place in a LinkedHashMap kept in insertion order.
    if (queue.replace(key, event) != null) {
      return Offer.CONFLATED;
    }
    if (size() >= maxKeys) {
      return Offer.FULL;
    }
    queue.put(key, event);
    return Offer.QUEUED;
  }

  /**
   * The next event to send, removed: the oldest urgent one, else the oldest other; null if none.
   */
  synchronized E poll() {
    E next = pollFrom(urgent);
    return next != null ? next : pollFrom(rest);
  }

  private static <E> E pollFrom(Map<?, E> queue) {
    Iterator<E> it = queue.values().iterator();
    if (!it.hasNext()) {
      return null;
    }
    E next = it.next();
    it.remove();
    return next;
  }

  synchronized int size() {
    return urgent.size() + rest.size();
  }

  synchronized void clear() {
    urgent.clear();
    rest.clear();
  }
}
