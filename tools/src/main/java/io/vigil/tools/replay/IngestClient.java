package io.vigil.tools.replay;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Talks to ingest's JSON API as a telemedicine platform does: bearer key, and on 429 or 503 waits
 * as long as Retry-After says (at most 30 s) before sending the same body again, up to 10 times.
 * Used by {@link Replay} and by the demo ward.
 */
public final class IngestClient {
  private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
  private static final int ATTEMPTS = 10;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String apiKey;

  public IngestClient(URI base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey;
  }

  /** Puts a patient's context ({@code PUT /v1/patients/{id}}). */
  public void putPatient(String patientId, String json) throws IOException, InterruptedException {
    send("PUT", "/v1/patients/" + patientId, json);
  }

  /**
   * Posts a batch ({@code POST /v1/observations}, a JSON array or {@code {"readings": [...]}});
   * returns the accepted count ingest answered.
   */
  public int postReadings(String jsonArray) throws IOException, InterruptedException {
    String body = send("POST", "/v1/observations", jsonArray);
    Matcher m = ACCEPTED.matcher(body);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  private String send(String method, String path, String body)
      throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      HttpRequest request =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + apiKey)
              .header("Content-Type", "application/json")
              .method(method, HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status / 100 == 2) {
        return response.body();
      }
      if ((status == 429 || status == 503) && attempt < ATTEMPTS) {
        long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1L);
        Thread.sleep(Duration.ofSeconds(Math.max(1, Math.min(seconds, 30))).toMillis());
        continue;
      }
      throw new IOException(method + " " + path + " answered " + status + ": " + response.body());
    }
  }
}
