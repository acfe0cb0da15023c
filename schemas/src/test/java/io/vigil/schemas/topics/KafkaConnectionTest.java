package io.vigil.schemas.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaConnectionTest {

  @Test
  void shouldDefaultToPlaintextOnTheLocalBroker() {
    KafkaConnection c = KafkaConnection.fromEnvironment(Map.of());
    assertEquals("127.0.0.1:9092", c.bootstrapServers());
    assertEquals("PLAINTEXT", c.securityProtocol());
    assertEquals(Map.of("bootstrap.servers", "127.0.0.1:9092"), c.map());
  }

  @Test
  void shouldBuildTheLoginModuleFromUserAndPasswordWithoutShowingThem() {
    KafkaConnection c =
        KafkaConnection.fromEnvironment(
            Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-0:9093,kafka-1:9093",
                "KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_USERNAME", "vigil-alerts",
                "KAFKA_SASL_PASSWORD", "pa\"ss",
                "KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.p12",
                "KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12"));
    Properties p = c.properties();
    assertEquals("SASL_SSL", p.get("security.protocol"));
    assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
    assertEquals(
        "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"vigil-alerts\" password=\"pa\\\"ss\";",
        p.get("sasl.jaas.config"));
    assertEquals("/etc/kafka/ca.p12", p.get("ssl.truststore.location"));
    assertEquals("PKCS12", p.get("ssl.truststore.type"));
    assertEquals("kafka-0:9093,kafka-1:9093 (SASL_SSL, SCRAM-SHA-512)", c.toString());
    assertFalse(c.toString().contains("pa"), "no secret in toString");
  }

  @Test
  void shouldNameTheVariableThatIsWrongOrMissing() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> KafkaConnection.fromEnvironment(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS")))
            .getMessage()
            .contains("KAFKA_SECURITY_PROTOCOL must be one of"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    KafkaConnection.fromEnvironment(
                        Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")))
            .getMessage()
            .contains("needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    KafkaConnection.fromEnvironment(
                        Map.of("KAFKA_SSL_TRUSTSTORE_LOCATION", "/ca.p12")))
            .getMessage()
            .contains("KAFKA_SSL_TRUSTSTORE_LOCATION is set but KAFKA_SECURITY_PROTOCOL is"));
  }

  @Test
  void shouldTakeAWholeLoginModuleConfigurationForOtherMechanisms() {
    KafkaConnection c =
        KafkaConnection.fromEnvironment(
            Map.of(
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "OAUTHBEARER",
                "KAFKA_SASL_JAAS_CONFIG",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                        + " required;"));
    assertEquals("OAUTHBEARER", c.properties().get("sasl.mechanism"));
  }
}
