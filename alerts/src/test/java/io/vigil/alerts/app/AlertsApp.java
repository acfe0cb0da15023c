package io.vigil.alerts.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.alerts.Application;
import io.vigil.alerts.lifecycle.AlertsTopics;
import io.vigil.alerts.security.UserStore;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The whole alerts service, started as ./vigil up starts it, against the test's Kafka. */
public final class AlertsApp implements AutoCloseable {
  public static final String ADA = "ada";
  public static final String ADA_PASSWORD = "ada-pass-4-tests";
  public static final String BOB = "bob";
  public static final String BOB_PASSWORD = "bob-pass-4-tests";
  public static final String CAROL = "carol";
  public static final String CAROL_PASSWORD = "carol-pass-4-tests";

  public final ApplicationContext context;
  public final URI base;
  public final Path home;
  private final String applicationId;

  private AlertsApp(ApplicationContext context, Path home, String applicationId) {
    this.context = context;
    this.home = home;
    this.applicationId = applicationId;
    this.base = context.getBean(EmbeddedServer.class).getURI();
  }

  /** Ada and Carol are in {@code tenant}'s ward-1, Bob in its ward-2. */
  public static AlertsApp start(TestKafka kafka, String tenant, Map<String, Object> extra)
      throws Exception {
    Path home = Files.createTempDirectory("vigil-home");
    Path users = home.resolve("alerts").resolve("users.properties");
    UserStore.addUser(users, ADA, ADA_PASSWORD, List.of(tenant + "/ward-1"));
    UserStore.addUser(users, BOB, BOB_PASSWORD, List.of(tenant + "/ward-2"));
    UserStore.addUser(users, CAROL, CAROL_PASSWORD, List.of(tenant + "/ward-1"));
    return start(kafka, home, extra);
  }

  /** The service with the users already written to {@code home}'s users file. */
  public static AlertsApp start(TestKafka kafka, Path home, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put("vigil.home", home.toString());
    props.put("micronaut.server.port", -1);
    props.put("micronaut.server.host", "127.0.0.1");
    props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
    String applicationId = TestKafka.unique("alerts-app");
    props.put("vigil.alerts.application-id", applicationId);
    props.put("vigil.alerts.state-dir", home.resolve("streams").toString());
    props.put("vigil.alerts.timers.tick", "200ms");
    props.putAll(extra);
    return new AlertsApp(
        Application.start(props), home, (String) props.get("vigil.alerts.application-id"));
  }

  /**
   * Waits until the lifecycle has committed every record now on its input topics. A new service
   * first works through what earlier tests left on the shared topics, and while it does, records of
   * two topics are taken in the order of the heads' timestamps, not in the order they were written:
   * a context produced just before a score may be judged after it (the alert then goes to the
   * fallback team and is moved when the context arrives). Tests that need "context first" wait here
   * between the two.
   */
  public void awaitLifecycleCaughtUp(TestKafka kafka) throws Exception {
    List<String> inputs =
        List.of(
            Topics.RISK_SCORES.name(),
            Topics.PATIENTS_CONTEXT.name(),
            Topics.ALERTS_ACTIONS.name(),
            AlertsTopics.WEBHOOK_DEAD_LETTER.name());
    kafka.awaitCommitted(applicationId, Duration.ofSeconds(60), inputs.toArray(String[]::new));
  }

  /** The lifecycle's Kafka Streams application id (the vitals history's adds {@code -history}). */
  public String applicationId() {
    return applicationId;
  }

  /** A port free now, for an instance that must advertise its address before it listens. */
  public static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
