package io.vigil.alerts.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one live stream has not sent yet: at most one event per alert and one per patient, each in
 * its newest state, so a client that reads slowly costs memory in proportion to the alerts and
 * patients it can see, not to how often they change.
 *
 * <p>A newer event replaces an unsent one of the same alert or patient <em>in its place</em>: the
 * queue is sent in the order in which things first changed since the client last caught up, so a
 * patient who changes all the time is not pushed back behind everyone else (as moving it to the end
 * would) and waits at most for what was queued before its first change. Events of different alerts
 * and patients keep their order among themselves; the UI needs no order across them (an {@code
 * alert} event makes it re-read the alert list, a {@code patient} event replaces that row).
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
    /** Queued at the end: nothing of the same key was waiting. */
    QUEUED,
    /** Replaced an unsent event of the same key, in its place. */
    CONFLATED,
    /** Refused: {@code maxKeys} other keys are waiting already. */
    FULL
  }

  private final Map<Key, E> pending = new LinkedHashMap<>();
  private final int maxKeys;

  LiveBacklog(int maxKeys) {
    this.maxKeys = maxKeys;
  }

  synchronized Offer offer(Key key, E event) {
    // replace() keeps the key's place in a LinkedHashMap kept in insertion order.
    if (pending.replace(key, event) != null) {
      return Offer.CONFLATED;
    }
    if (pending.size() >= maxKeys) {
      return Offer.FULL;
    }
    pending.put(key, event);
    return Offer.QUEUED;
  }

  /** The oldest waiting event, removed; null when nothing waits. */
  synchronized E poll() {
    Iterator<E> it = pending.values().iterator();
    if (!it.hasNext()) {
      return null;
    }
    E next = it.next();
    it.remove();
    return next;
  }

  synchronized int size() {
    return pending.size();
  }

  synchronized void clear() {
    pending.clear();
  }
}
