package io.vigil.ingest.auth;

/** An authenticated sender: the source (platform integration) and the one tenant it writes. */
public record Source(String sourceId, String tenant, String keyId) {}
