package io.vigil.alerts.audit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.security.authentication.Authentication;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.config.ConfigContext;
import io.vigil.alerts.security.CareTeams;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A read that cannot be audited is refused within the configured bound, not served and not left
 * hanging: with no broker listening, {@link ReadAudit#record} gives up after {@code
 * vigil.alerts.audit.timeout} and the controllers answer 503.
 */
class AuditUnavailableTest {
  @Test
  void shouldGiveUpWithinTheAuditTimeoutWhenKafkaIsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (ApplicationContext ctx =
        ConfigContext.start(
            Map.of(
                "kafka.bootstrap.servers",
                "127.0.0.1:" + closedPort,
                "vigil.alerts.audit.timeout",
                "1s"))) {
      AlertsConfig config = ctx.getBean(AlertsConfig.class);
      ReadAudit audit = new ReadAudit(config, new CareTeams(config));
      Authentication ada = Authentication.build("ada", Map.of("teams", List.of("clinic-a/ward-1")));
      Instant start = Instant.now();
      boolean recorded =
          audit.record(
              ada,
              null,
              ReadAudit.DETAIL,
              "clinic-a",
              "p-1",
              "alertId=a-1",
              ReadAudit.Outcome.SERVED,
              1);
      Duration took = Duration.between(start, Instant.now());
      assertFalse(recorded, "not recorded: the read must not be served");
      assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "gave up in " + took);
      audit.close();
    }
  }
}
