package io.vigil.kit.streams;

import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * What every Kafka Streams client of the services is configured with, beyond its own topology's
 * settings.
 *
 * <p>No JMX reporter: the services publish their clients' metrics from the client's own metrics map
 * on {@code /metrics}, and Kafka's default JMX reporter would publish them a second time. It also
 * costs: a state store's oldest-open-iterator gauge is added when the store's first iterator opens
 * and removed when its last one closes, and the reporter unregisters and registers an MBean each
 * time. Scoring and the alert lifecycle open iterators for most records, so at a million patients
 * that was 3.6 % of scoring's and 10 % of the alerts service's stream-thread time.
 */
public final class StreamsClients {
  private StreamsClients() {}

  /** Sets the shared settings on {@code properties} and returns them. */
  public static Properties shared(Properties properties) {
    properties.put(CommonClientConfigs.METRIC_REPORTER_CLASSES_CONFIG, "");
    return properties;
  }
}
