package io.vigil.tools.replay;

import java.net.URI;
import picocli.CommandLine.Option;

/**
 * The {@code --ingest URL} option of the command lines that post to ingest (the replay, the demo
 * ward), mixed in with {@code @Mixin}: ingest's base URL, by default the one {@code ./vigil up}
 * starts it on.
 */
public final class IngestOption {
  @Option(
      names = "--ingest",
      paramLabel = "URL",
      defaultValue = "http://localhost:8081",
      description = "Ingest's base URL.")
  private URI url;

  /** A client of that ingest, with the platform API key {@code apiKey}. */
  public IngestClient client(String apiKey) {
    return new IngestClient(url, apiKey);
  }
}
