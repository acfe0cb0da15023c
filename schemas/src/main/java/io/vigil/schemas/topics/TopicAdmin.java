package io.vigil.schemas.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the catalogue's topics that do not exist yet; existing topics are left as they are. */
public final class TopicAdmin {
  private TopicAdmin() {}

  /**
   * Creates every missing topic of {@code specs}.
   *
   * @param replicationFactor copies of each partition; 1 on a single broker, 3 in production
   * @return the names of the topics this call created
   */
  public static List<String> ensureTopics(
      Admin admin, List<TopicSpec<?, ?>> specs, short replicationFactor)
      throws InterruptedException, ExecutionException, TimeoutException {
    Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
    List<NewTopic> missing = new ArrayList<>();
    for (TopicSpec<?, ?> spec : specs) {
      if (!existing.contains(spec.name())) {
        missing.add(
            new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.config()));
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
