package io.vigil.ingest.observations;

import java.util.List;

/**
 * The answer to a batch: how many readings Kafka acknowledged and every reading that was not
 * accepted, with its index and reason.
 */
public record BatchResult(int accepted, List<Rejection> rejected) {}
