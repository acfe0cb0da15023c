package io.vigil.deploy.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A nurse's sign-in to the alerts service as the nurse UI makes it: {@code POST /login} with the
 * user and password as JSON. The session cookie lands in the client's cookie handler.
 */
public final class NurseSignIn {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NurseSignIn() {}

  /** Signs in at {@code alerts} (the service's base URL) and returns the answer. */
  public static HttpResponse<String> post(HttpClient http, URI alerts, String user, String password)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(alerts.resolve("/login"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.createObjectNode()
                        .put("username", user)
                        .put("password", password)
                        .toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
