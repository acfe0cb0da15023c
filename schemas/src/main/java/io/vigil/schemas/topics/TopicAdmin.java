package io.vigil.schemas.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the catalogue's topics that do not exist yet; existing topics are left as they are.
 *
 * <p>Patient topics are created with {@link Topics#PATIENT_PARTITIONS} partitions unless the
 * environment variable {@value #PARTITIONS_VARIABLE} asks for another count (large deployments
 * spread patients over more partitions, and so over more scoring instances); every patient topic
 * gets the same count, as co-partitioning requires. Topics of another partition count in the
 * catalogue (the one-partition {@code services.status}) keep theirs.
 */
public final class TopicAdmin {
  /** The environment variable giving the partition count of patient topics created. */
  public static final String PARTITIONS_VARIABLE = "VIGIL_TOPIC_PARTITIONS";

  private TopicAdmin() {}

  /**
   * The partition count of patient topics that {@code env} asks for: {@value #PARTITIONS_VARIABLE},
   * else {@link Topics#PATIENT_PARTITIONS}.
   *
   * @throws IllegalArgumentException naming the variable when it is not a whole number from 1
   */
  public static int patientPartitions(Map<String, String> env) {
    String value = env.get(PARTITIONS_VARIABLE);
    if (value == null || value.isBlank()) {
      return Topics.PATIENT_PARTITIONS;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(
        PARTITIONS_VARIABLE + " must be a whole number of at least 1, got '" + value + "'");
  }

  /**
   * Creates every missing topic of {@code specs}, patient topics with the partition count this
   * process's environment asks for ({@link #patientPartitions}).
   *
   * @param replicationFactor copies of each partition; 1 on a single broker, 3 in production
   * @return the names of the topics this call created
   */
  public static List<String> ensureTopics(
      Admin admin, List<TopicSpec<?, ?>> specs, short replicationFactor)
      throws InterruptedException, ExecutionException, TimeoutException {
    return ensureTopics(admin, specs, replicationFactor, patientPartitions(System.getenv()));
  }

  /**
   * Creates every missing topic of {@code specs}.
   *
   * @param replicationFactor copies of each partition; 1 on a single broker, 3 in production
   * @param patientPartitions partitions of each patient topic created
   * @return the names of the topics this call created
   */
  public static List<String> ensureTopics(
      Admin admin, List<TopicSpec<?, ?>> specs, short replicationFactor, int patientPartitions)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (TopicSpec<?, ?> spec : specs) {
      if (!existing.contains(spec.name())) {
        missing.add(
            new NewTopic(
                    spec.name(),
                    spec.partitions() == Topics.PATIENT_PARTITIONS
                        ? patientPartitions
                        : spec.partitions(),
                    replicationFactor)
                .configs(spec.config()));
      }
    }
    List<String> created = new ArrayList<>();
    if (missing.isEmpty()) {
      return created;
    }
    var result = admin.createTopics(missing);
    for (NewTopic topic : missing) {
      try {
        result.values().get(topic.name()).get(30, TimeUnit.SECONDS);
        created.add(topic.name());
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    return created;
  }
}
