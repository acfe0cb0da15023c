package io.vigil.scoring.app.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The scoring service's HTTP surface on the JDK's HTTP server: the risk API, {@code /health} and
 * {@code /metrics}. A request for a patient whose partition another instance owns is forwarded to
 * that instance (its {@code application.server}) once and its answer relayed.
 */
public final class HttpApi implements AutoCloseable {
  static final String FORWARDED = "X-Vigil-Forwarded";
  private static final String PREFIX = "/api/patients/";

  private final HttpServer server;
  private final ExecutorService executor;
  private final RiskQueries queries;
  private final Supplier<KafkaStreams.State> state;
  private final PrometheusRegistry registry;
  private final Supplier<HostInfo> self;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public HttpApi(
      int port,
      RiskQueries queries,
      Supplier<KafkaStreams.State> state,
      PrometheusRegistry registry,
      Supplier<HostInfo> self)
      throws IOException {
    this.queries = queries;
    this.state = state;
    this.registry = registry;
    this.self = self;
    this.server = HttpServer.create(new InetSocketAddress(port), 64);
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/health", this::health);
    server.createContext("/metrics", this::metrics);
    server.createContext(PREFIX, this::risk);
    server.createContext(
        "/",
        e ->
            send(
                e,
                404,
                problem(
                    "not-found",
                    "Not found",
                    404,
                    e.getRequestURI().getPath() + " does not exist")));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void health(HttpExchange exchange) throws IOException {
    KafkaStreams.State current = state.get();
    boolean up = current == KafkaStreams.State.RUNNING || current == KafkaStreams.State.REBALANCING;
    var body =
        RiskJson.MAPPER
            .createObjectNode()
            .put("status", up ? "UP" : "DOWN")
            .put("streams", current.name());
    send(exchange, up ? 200 : 503, body);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new PrometheusTextFormatWriter(false).write(out, registry.scrape());
    exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
    byte[] body = out.toByteArray();
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
  }

  private void risk(HttpExchange exchange) throws IOException {
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      send(exchange, 405, problem("method-not-allowed", "Method not allowed", 405, "use GET"));
      return;
    }
    String rawPath = exchange.getRequestURI().getRawPath();
    String[] parts = rawPath.substring(PREFIX.length()).split("/", -1);
    if (parts.length != 3 || !"risk".equals(parts[2])) {
      send(
          exchange,
          404,
          problem(
              "not-found", "Not found", 404, "expected /api/patients/{tenant}/{patientId}/risk"));
      return;
    }
    PatientKey patient;
    Instant from;
    Instant to;
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    try {
      patient =
          PatientKeys.of(
              URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
              URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      send(exchange, 400, problem("invalid-patient", "Invalid patient", 400, e.getMessage()));
      return;
    }
    try {
      from = instant(query, "from", Instant.EPOCH);
      to = instant(query, "to", Instant.parse("9999-12-31T23:59:59Z"));
    } catch (DateTimeParseException e) {
      send(exchange, 400, problem("invalid-time", "Invalid time range", 400, e.getMessage()));
      return;
    }
    if (!to.isAfter(from)) {
      send(
          exchange,
          400,
          problem(
              "invalid-time",
              "Invalid time range",
              400,
              "to (" + to + ") must be after from (" + from + ")"));
      return;
    }
    Optional<KeyQueryMetadata> owner;
    try {
      owner = queries.owner(patient);
    } catch (IllegalStateException e) {
      owner = Optional.empty();
    }
    if (owner.isEmpty()) {
      unavailable(exchange, "partitions are being assigned; retry shortly");
      return;
    }
    if (!RiskQueries.isHost(owner.get(), self.get())) {
      if (exchange.getRequestHeaders().containsKey(FORWARDED)) {
        unavailable(exchange, "the instances disagree about who owns this patient; retry shortly");
        return;
      }
      forward(exchange, owner.get().activeHost());
      return;
    }
    String revisions = query.getOrDefault("revisions", "false");
    if (!revisions.equals("true") && !revisions.equals("false")) {
      send(
          exchange,
          400,
          problem(
              "invalid-revisions",
              "Invalid revisions flag",
              400,
              "revisions must be true or false, got '" + revisions + "'"));
      return;
    }
    List<RiskQueries.Scored> scores;
    try {
      scores =
          queries.local(
              patient, owner.get().partition(), from, to, Boolean.parseBoolean(revisions));
    } catch (InvalidStateStoreException e) {
      unavailable(exchange, "the score store is being restored or moved: " + e.getMessage());
      return;
    }
    send(exchange, 200, RiskJson.response(patient, from.toString(), to.toString(), scores));
  }

  private void forward(HttpExchange exchange, HostInfo host) throws IOException {
    URI target =
        URI.create(
            "http://" + host.host() + ":" + host.port() + exchange.getRequestURI().toString());
    try {
      HttpResponse<byte[]> response =
          client.send(
              HttpRequest.newBuilder(target)
                  .header(FORWARDED, "1")
                  .timeout(Duration.ofSeconds(10))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      exchange
          .getResponseHeaders()
          .set(
              "Content-Type",
              response.headers().firstValue("Content-Type").orElse("application/json"));
      byte[] body = response.body();
      exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    } catch (IOException e) {
      unavailable(
          exchange,
          "the instance owning this patient (" + host + ") did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unavailable(exchange, "interrupted while asking " + host);
    }
  }

  private static Instant instant(Map<String, String> query, String name, Instant fallback) {
    String value = query.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new DateTimeParseException(
          name + " must be an ISO-8601 instant such as 2026-01-31T08:00:00Z, got '" + value + "'",
          value,
          e.getErrorIndex());
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> result = new HashMap<>();
    if (raw == null) {
      return result;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        result.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return result;
  }

  private void unavailable(HttpExchange exchange, String detail) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", "2");
    send(exchange, 503, problem("unavailable", "Scores temporarily unavailable", 503, detail));
  }

  private static JsonNode problem(String type, String title, int status, String detail) {
    return RiskJson.problem(type, title, status, detail);
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = RiskJson.MAPPER.writeValueAsBytes(body);
    exchange
        .getResponseHeaders()
        .set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
