package io.vigil.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The site's Kafka client settings: all of them for the producer, those reaching the brokers for
 * the readers.
 */
class KafkaClientSettingsTest {
  @Test
  void shouldGiveReadersOnlyTheSettingsThatReachTheBrokers() {
    KafkaClientSettings settings =
        new KafkaClientSettings(
            "kafka-1:9093",
            Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "ssl.truststore.location", "/etc/kafka/truststore.p12",
                "compression.type", "zstd"));
    assertEquals("kafka-1:9093", settings.bootstrapServers());
    assertEquals(4, settings.producer().size());
    assertEquals(
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "ssl.truststore.location", "/etc/kafka/truststore.p12"),
        settings.security());
  }

  @Test
  void shouldHaveNoSiteSettingsWhenNoneAreConfigured() {
    KafkaClientSettings settings = new KafkaClientSettings("localhost:9092", null);
    assertEquals(Map.of(), settings.producer());
    assertEquals(Map.of(), settings.security());
  }
}
