package io.vigil.ingest.observations;

import java.util.Collection;

/**
 * One rejected reading: its position in the batch, its id when it had one, the field at fault, the
 * reason and a sentence a developer at the sending platform can act on.
 */
public record Rejection(int index, String id, String field, RejectionReason reason, String detail) {

  /**
   * Whether {@code rejected} holds at least one rejection and every one is the tenant's patient
   * bound: a request of which nothing was accepted is then refused as a whole for that bound (429
   * {@code patient-limit}), not for its content.
   */
  public static boolean onlyPatientLimit(Collection<Rejection> rejected) {
    return !rejected.isEmpty()
        && rejected.stream().allMatch(r -> r.reason() == RejectionReason.PATIENT_LIMIT);
  }
}
