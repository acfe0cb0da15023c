package io.vigil.alerts.app;

import io.vigil.alerts.security.CsrfTokens;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A nurse's session against the API through a real HTTP client with a cookie jar. */
public final class Browserless {
  private static final Pattern CSRF = Pattern.compile("\"csrfToken\":\"([^\"]+)\"");
  private final HttpClient client;
  private final CookieManager cookies = new CookieManager();
  private final URI base;
  private String csrf;

  public Browserless(URI base) {
    this.base = base;
    this.client =
        HttpClient.newBuilder()
            .cookieHandler(cookies)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  public HttpResponse<String> login(String user, String password)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}")));
    if (r.statusCode() == 200) {
      Matcher m = CSRF.matcher(get("/api/me").body());
      if (m.find()) {
        csrf = m.group(1);
      }
    }
    return r;
  }

  /** The session's cookies for the service, as a {@code Cookie} header's value. */
  public String cookieHeader() {
    return cookies.getCookieStore().get(base).stream()
        .map(java.net.HttpCookie::toString)
        .collect(java.util.stream.Collectors.joining("; "));
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return post(path, true);
  }

  public HttpResponse<String> post(String path, boolean withCsrf)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (withCsrf && csrf != null) {
      b.header(CsrfTokens.HEADER, csrf);
    }
    return send(b);
  }

  /**
   * Opens a server-sent event stream and copies its lines, as they arrive, into {@code lines} on a
   * daemon thread; closing the returned stream ends it.
   */
  public java.io.Closeable stream(String path, java.util.List<String> lines)
      throws IOException, InterruptedException {
    HttpResponse<java.util.stream.Stream<String>> r =
        client.send(
            HttpRequest.newBuilder(base.resolve(path))
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    if (r.statusCode() != 200) {
      throw new IOException(path + " answered " + r.statusCode());
    }
    java.util.stream.Stream<String> body = r.body();
    Thread reader =
        new Thread(
            () -> {
              try {
                body.forEach(lines::add);
              } catch (java.io.UncheckedIOException closed) {
                // the test closed the stream
              }
            },
            "sse-" + path);
    reader.setDaemon(true);
    reader.start();
    return body::close;
  }

  private HttpResponse<String> send(HttpRequest.Builder b)
      throws IOException, InterruptedException {
    return client.send(
        b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
