package io.vigil.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.schemas.topics.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker listener that requires SASL/PLAIN: clients configured through {@link KafkaConnection}
 * from the environment variables the services read get in with the right password and are turned
 * away, with an error that says so, with a wrong one.
 */
class KafkaSaslTest {

  @Test
  void shouldConnectWithTheRightCredentialsAndFailClearlyWithWrongOnes(@TempDir Path dir)
      throws Exception {
    try (LocalBroker broker =
        new LocalBroker(dir, "127.0.0.1", LocalBrokerTest.freePort(), LocalBrokerTest.freePort())
            .withSaslListener(LocalBrokerTest.freePort(), Map.of("vigil-scoring", "s3cret-x"))) {
      broker.start();
      KafkaConnection good =
          KafkaConnection.fromEnvironment(
              Map.of(
                  "KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers(),
                  "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                  "KAFKA_SASL_USERNAME", "vigil-scoring",
                  "KAFKA_SASL_PASSWORD", "s3cret-x"));
      try (Admin admin = Admin.create(good.properties())) {
        assertTrue(
            admin
                .listTopics()
                .names()
                .get(20, TimeUnit.SECONDS)
                .contains(Topics.VITALS_OBSERVATIONS.name()));
      }
      PatientKey key = PatientKeys.of("clinic", "p-sasl");
      LocalBrokerTest.produce(good.properties(), key, LocalBrokerTest.reading("r-sasl"));
      assertEquals(List.of("r-sasl"), LocalBrokerTest.readIds(good.properties(), key));
      assertTrue(!good.toString().contains("s3cret-x"), "no password in " + good);

      KafkaConnection wrong =
          KafkaConnection.fromEnvironment(
              Map.of(
                  "KAFKA_BOOTSTRAP_SERVERS", broker.saslBootstrapServers(),
                  "KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                  "KAFKA_SASL_USERNAME", "vigil-scoring",
                  "KAFKA_SASL_PASSWORD", "guessed"));
      try (Admin admin = Admin.create(wrong.properties())) {
        ExecutionException failure =
            assertThrows(
                ExecutionException.class,
                () -> admin.listTopics().names().get(20, TimeUnit.SECONDS));
        assertInstanceOf(SaslAuthenticationException.class, failure.getCause());
        assertTrue(
            failure.getCause().getMessage().contains("Invalid username or password"),
            failure.getCause().getMessage());
      }
    }
  }
}
