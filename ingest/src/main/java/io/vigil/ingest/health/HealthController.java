package io.vigil.ingest.health;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.vigil.ingest.kafka.KafkaStatus;

/**
 * {@code /health}: ready (200) only while Kafka answers, since without it every write would be
 * answered 503; {@code /health/live}: the process serves HTTP.
 */
@Controller("/health")
public final class HealthController {
  private final KafkaStatus kafka;

  public HealthController(KafkaStatus kafka) {
    this.kafka = kafka;
  }

  @Operation(summary = "Readiness: 200 while Kafka is reachable, 503 otherwise")
  @Get(produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> ready() {
    boolean up = kafka.reachable();
    String problem = up ? null : kafka.problem();
    String body =
        "{\"status\":\""
            + (up ? "UP" : "DOWN")
            + "\",\"kafka\":\""
            + (up ? "UP" : "DOWN")
            + "\""
            + (problem == null
                ? ""
                : ",\"problem\":"
                    + com.fasterxml.jackson.databind.node.TextNode.valueOf(problem).toString())
            + "}";
    return HttpResponse.<String>status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(body)
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Operation(summary = "Liveness: 200 while the process serves HTTP")
  @Get(uri = "/live", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> live() {
    return HttpResponse.ok("{\"status\":\"UP\"}").contentType(MediaType.APPLICATION_JSON_TYPE);
  }
}
