package io.vigil.kit.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.lang.management.ManagementFactory;
import java.util.Properties;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class StreamsClientsTest {
  private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

  @Test
  void aClientWithTheSharedSettingsRegistersNoMBeans() throws Exception {
    // A client without them, as the control: Kafka's default registers its metrics in JMX.
    assertFalse(mbeans("kit-test-default").isEmpty(), "no MBean even without the settings");
    assertEquals(Set.of(), mbeans("kit-test-shared", StreamsClients.shared(new Properties())));
  }

  @Test
  void keepsWhatWasAlreadySet() {
    Properties properties = new Properties();
    properties.put("application.id", "vigil-scoring");
    StreamsClients.shared(properties);
    assertEquals("vigil-scoring", properties.get("application.id"));
    assertEquals("", properties.get("metric.reporters"));
  }

  private static Set<ObjectName> mbeans(String clientId, Properties settings) throws Exception {
    Properties p = new Properties();
    p.putAll(settings);
    // No broker is contacted: a producer connects at its first send.
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
      return JMX.queryNames(new ObjectName("kafka.producer:client-id=" + clientId + ",*"), null);
    }
  }

  private static Set<ObjectName> mbeans(String clientId) throws Exception {
    return mbeans(clientId, new Properties());
  }
}
