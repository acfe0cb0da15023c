package io.vigil.scoring.app.topology;

import org.apache.kafka.common.utils.Bytes;

/**
 * Where a scan of a store keyed {@code time | patient} and used as a queue (the pending and the due
 * windows) starts: no live key's time is below it.
 *
 * <p>Those stores are served from their oldest key and each served key is deleted. RocksDB keeps a
 * deleted key as a tombstone until a compaction reaches it, so a scan from the store's first key
 * steps over every key served since, and at a million patients that walk was the largest single
 * cost of the punctuation. A scan from the floor seeks past them.
 *
 * <p>The floor only has to stay low: every put lowers it ({@link #lower}), and it is raised only to
 * what a scan has shown ({@link #raise}). After a start it is unknown, so the first scan starts at
 * the store's first key.
 */
final class TimeFloor {
  private long floor = Long.MIN_VALUE;

  /** A key at {@code time} was written. */
  void lower(long time) {
    if (time < floor) {
      floor = time;
    }
  }

  /**
   * A scan has shown that no live key lies below {@code time} (keys written afterwards lower it
   * again).
   */
  void raise(long time) {
    floor = time;
  }

  /** Forgets what scans have shown: after a start, nothing is known. */
  void reset() {
    floor = Long.MIN_VALUE;
  }

  long time() {
    return floor;
  }

  /** The first key a scan from the floor reads from. */
  Bytes firstKey() {
    return StateKeys.timePatient(floor, new byte[0]);
  }
}
