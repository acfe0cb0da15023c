package io.vigil.ingest.observations;

/**
 * One rejected reading: its position in the batch, its id when it had one, the field at fault, the
 * reason and a sentence a developer at the sending platform can act on.
 */
public record Rejection(
    int index, String id, String field, RejectionReason reason, String detail) {}
