package io.vigil.ingest.health;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.vigil.ingest.kafka.KafkaStatus;
import io.vigil.ingest.patients.ContextFollower;

/**
 * {@code /health}: ready (200) only while Kafka answers, since without it every write would be
 * answered 503; {@code /health/live}: the process serves HTTP. The body also shows the {@code
 * patients.context} follower (state, lag, failures, last error), which does not decide readiness:
 * while it is down or catching up the patient bound is softer (context it has not read counts as
 * new), while refusing every reading would stop vital signs reaching scoring.
 */
@Controller("/health")
public final class HealthController {
  private final KafkaStatus kafka;
  private final ContextFollower follower;

  public HealthController(KafkaStatus kafka, ContextFollower follower) {
    this.kafka = kafka;
    this.follower = follower;
  }

  @Operation(summary = "Readiness: 200 while Kafka is reachable, 503 otherwise")
  @Get(produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<String> ready() {
    boolean up = kafka.reachable();
    String problem = up ? null : kafka.problem();
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", up ? "UP" : "DOWN");
    body.put("kafka", up ? "UP" : "DOWN");
    if (problem != null) {
      body.put("problem", problem);
    }
    body.set("contextFollower", follower(follower.status()));
    return HttpResponse.<String>status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
        .body(body.toString())
        .contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private static ObjectNode follower(ContextFollower.Status status) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("state", status.state().name());
    if (status.state() == ContextFollower.State.OFF) {
      return node;
    }
    node.put("lagRecords", status.lagRecords());
    node.put("failures", status.failures());
    node.put("restarts", status.restarts());
    if (status.lastError() != null) {
      node.put("lastError", status.lastError());
      node.put("lastFailure", status.lastFailure().toString());
    }
    return node;
  }

  @Operation(summary = "Liveness: 200 while the process serves HTTP")
  @Get(uri = "/live", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> live() {
    return HttpResponse.ok("{\"status\":\"UP\"}").contentType(MediaType.APPLICATION_JSON_TYPE);
  }
}
