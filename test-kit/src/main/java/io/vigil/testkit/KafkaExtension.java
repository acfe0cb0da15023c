package io.vigil.testkit;

import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import java.util.Locale;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the Kafka cluster a {@link WithKafka} class asks for and creates the catalogue's topics.
 *
 * <p>Where a Docker engine answers, a single-broker cluster runs in Testcontainers ({@code
 * apache/kafka}); otherwise, and always for three brokers, in this JVM from Kafka's test kit. The
 * system property {@code vigil.test.kafka} ({@code auto}, {@code docker}, {@code in-jvm}) overrides
 * the choice. No test is ever skipped for lack of Docker.
 */
public final class KafkaExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KafkaExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    cluster(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestKafka.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    try {
      return cluster(context);
    } catch (Exception e) {
      throw new ExtensionConfigurationException("could not start Kafka for the test", e);
    }
  }

  private static TestKafka cluster(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    WithKafka config = findConfig(testClass);
    int brokers = config.brokers();
    if (brokers != 1 && brokers != 3) {
      throw new ExtensionConfigurationException(
          "@WithKafka brokers must be 1 or 3, not " + brokers);
    }
    if (config.dedicated()) {
      ExtensionContext classContext = classContext(context);
      return classContext
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(
              "dedicated", k -> new StoppingCluster(startOrFail(brokers)), StoppingCluster.class)
          .cluster;
    }
    // The root store lives for the whole test run and closes its resources when the run ends.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "shared-" + brokers,
            k -> new StoppingCluster(startOrFail(brokers)),
            StoppingCluster.class)
        .cluster;
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  private static WithKafka findConfig(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      WithKafka config = c.getAnnotation(WithKafka.class);
      if (config != null) {
        return config;
      }
    }
    throw new ExtensionConfigurationException(testClass + " is not annotated @WithKafka");
  }

  private static TestKafka startOrFail(int brokers) {
    try {
      TestKafka kafka = start(brokers);
      try (Admin admin = kafka.admin()) {
        TopicAdmin.ensureTopics(admin, Topics.all(), (short) Math.min(3, brokers));
      }
      return kafka;
    } catch (Exception e) {
      throw new ExtensionConfigurationException("could not start a Kafka cluster", e);
    }
  }

  private static TestKafka start(int brokers) throws Exception {
    String mode = System.getProperty("vigil.test.kafka", "auto").toLowerCase(Locale.ROOT);
    boolean docker =
        switch (mode) {
          case "docker" -> true;
          case "in-jvm" -> false;
          case "auto" -> brokers == 1 && DockerProbe.available();
          default ->
              throw new ExtensionConfigurationException(
                  "vigil.test.kafka must be auto, docker or in-jvm, not " + mode);
        };
    if (docker && brokers != 1) {
      throw new ExtensionConfigurationException("the Docker cluster has one broker only");
    }
    return docker ? new ContainerCluster() : new InJvmKraftCluster(brokers);
  }

  private static void stopQuietly(TestKafka kafka) {
    try {
      kafka.stop();
    } catch (RuntimeException e) {
      // the JVM is exiting; nothing else can be done
    }
  }

  /** Stops a cluster when the context that owns it closes. */
  private record StoppingCluster(TestKafka cluster)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stopQuietly(cluster);
    }
  }
}
