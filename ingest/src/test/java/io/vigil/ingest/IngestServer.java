package io.vigil.ingest;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.schemas.access.ApiKeyEntry;
import io.vigil.schemas.access.ApiKeyFile;
import io.vigil.schemas.access.Scope;
import io.vigil.testkit.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ingest service on a random port against a test cluster, with its own VIGIL_HOME, and a real
 * HTTP client to talk to it. Close it before the cluster.
 */
public final class IngestServer implements AutoCloseable {
  private final Path home;
  private final EmbeddedServer server;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private IngestServer(Path home, EmbeddedServer server) {
    this.home = home;
    this.server = server;
  }

  public static IngestServer start(TestKafka kafka) {
    return start(kafka, Map.of());
  }

  public static IngestServer start(TestKafka kafka, Map<String, Object> overrides) {
    try {
      Path home = Files.createTempDirectory("vigil-ingest-test");
      Map<String, Object> props = new HashMap<>();
      props.put("micronaut.server.port", -1);
      props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
      props.put("vigil.home", home.toString());
      props.put("vigil.ingest.kafka-timeout", "4s");
      props.put("vigil.ingest.rate-limit-per-second", 10_000);
      props.put("vigil.ingest.rate-limit-burst", 10_000);
      props.putAll(overrides);
      EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props, "test");
      return new IngestServer(home, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path home() {
    return home;
  }

  public ApplicationContext context() {
    return server.getApplicationContext();
  }

  /** Adds a {@code write} API key for a source of a tenant and returns the bearer token. */
  public String addKey(String sourceId, String tenant) {
    return addKey(sourceId, tenant, Set.of(Scope.WRITE));
  }

  /** Adds an API key with {@code scopes} for a source of a tenant and returns the bearer token. */
  public String addKey(String sourceId, String tenant, Set<Scope> scopes) {
    try {
      Path file = home.resolve("ingest-api-keys.tsv");
      List<ApiKeyEntry> entries =
          Files.exists(file) ? new ArrayList<>(ApiKeyFile.read(file)) : new ArrayList<>();
      ApiKeyFile.NewKey key = ApiKeyFile.create(sourceId, tenant, scopes, Instant.now());
      entries.add(key.entry());
      ApiKeyFile.write(file, entries);
      return key.token();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public URI uri(String path) {
    return server.getURI().resolve(path);
  }

  public HttpResponse<String> post(String path, String token, String contentType, String body) {
    return send("POST", path, token, contentType, body);
  }

  public HttpResponse<String> postJson(String path, String token, String body) {
    return post(path, token, "application/json", body);
  }

  public HttpResponse<String> send(
      String method, String path, String token, String contentType, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(30))
            .method(method, HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return execute(request.build());
  }

  public HttpResponse<String> get(String path) {
    return execute(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  private HttpResponse<String> execute(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.getApplicationContext().close();
  }
}
