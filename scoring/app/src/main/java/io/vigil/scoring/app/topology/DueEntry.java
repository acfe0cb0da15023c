package io.vigil.scoring.app.topology;

import io.vigil.schemas.Vital;
import io.vigil.scoring.app.state.DueState;
import java.util.ArrayList;
import java.util.List;

/**
 * A closed window waiting for inference, as stored in the due store (keyed by window end and
 * patient).
 *
 * <p>A window closed by the patient's clock is scored from the patient's history ({@code revision}
 * false). A window already closed that late readings fell into is assembled again from its bucket
 * rows ({@code revision} true) and emitted as the next revision of its score (or as its first score
 * when it had no data when it closed). Both remember how many late readings went into the window
 * since it was last scored, and of which vitals.
 *
 * <p>Stored as a {@code DueState} record ({@link StateRows#due}), the vitals by catalogue code.
 *
 * @param dueSinceWall wall-clock time the window became due
 * @param revision true when the window is assembled again from its buckets
 * @param lateReadings late readings merged into the window since it was last scored
 * @param lateVitals bit {@link Vital#ordinal()} set for each vital of those readings
 */
record DueEntry(long dueSinceWall, boolean revision, int lateReadings, int lateVitals) {

  static DueEntry closed(long wallNow) {
    return new DueEntry(wallNow, false, 0, 0);
  }

  static DueEntry revised(long wallNow, Vital vital) {
    return new DueEntry(wallNow, true, 1, 1 << vital.ordinal());
  }

  /** This entry with one more late reading of {@code vital}. */
  DueEntry withLateReading(Vital vital) {
    return new DueEntry(
        dueSinceWall, revision, lateReadings + 1, lateVitals | 1 << vital.ordinal());
  }

  /** Catalogue codes of the late readings' vitals, in catalogue order. */
  List<String> lateVitalCodes() {
    List<String> codes = new ArrayList<>();
    for (Vital vital : Vital.values()) {
      if ((lateVitals & 1 << vital.ordinal()) != 0) {
        codes.add(vital.code());
      }
    }
    return codes;
  }

  byte[] encode() {
    return StateRows.due()
        .encode(new DueState(dueSinceWall, revision, lateReadings, lateVitalCodes()));
  }

  static DueEntry decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    DueState state = StateRows.decode(StateRows.due(), bytes);
    int vitals = 0;
    for (String code : state.getLateVitals()) {
      Vital vital =
          Vital.byCode(code)
              .orElseThrow(() -> new IllegalStateException("unknown vital in a due row: " + code));
      vitals |= 1 << vital.ordinal();
    }
    return new DueEntry(
        state.getDueSinceWall(), state.getRevision(), state.getLateReadings(), vitals);
  }
}
