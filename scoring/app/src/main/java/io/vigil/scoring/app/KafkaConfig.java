package io.vigil.scoring.app;

import java.util.Properties;

/**
 * How the service's Kafka clients reach the cluster.
 *
 * @param bootstrapServers {@code kafka.bootstrap.servers} ({@code KAFKA_BOOTSTRAP_SERVERS})
 * @param streamsOverrides every Kafka Streams or client property to set on top of the topology's
 *     own: the transport security of {@link io.vigil.schemas.topics.KafkaConnection} ({@code
 *     KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_*}, {@code KAFKA_SSL_*}), then whatever is under
 *     {@code kafka.streams.*}, which Micronaut maps {@code KAFKA_STREAMS_X_Y} onto ({@code x.y}),
 *     so an explicit setting wins
 */
public record KafkaConfig(String bootstrapServers, Properties streamsOverrides) {

  public KafkaConfig {
    Properties copy = new Properties();
    copy.putAll(streamsOverrides);
    streamsOverrides = copy;
  }

  /**
   * Client settings every Kafka client of the service shares (bootstrap servers and any {@code
   * security.*}, {@code sasl.*} or {@code ssl.*} override), for clients outside Kafka Streams.
   */
  public Properties clientProperties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    streamsOverrides.forEach(
        (k, v) -> {
          String key = k.toString();
          if (key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
            props.put(key, v);
          }
        });
    return props;
  }
}
