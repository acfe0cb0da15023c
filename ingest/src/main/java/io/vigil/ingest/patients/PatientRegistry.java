package io.vigil.ingest.patients;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.schemas.topics.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The patients each tenant has, for the per-tenant bound ({@link
 * IngestConfig#maxPatientsPerTenant}).
 *
 * <p>A tenant's patients are those with a record on the compacted {@code patients.context} (read
 * from the beginning at start and followed while the service runs, so context written through any
 * ingest instance counts) and those this instance accepted readings or context for since it
 * started. Limits of this choice: patients known only from readings sent through another ingest
 * instance, or produced straight to Kafka, are not counted here, so with N instances a tenant may
 * reach up to N times the bound in patients without context; patients are never forgotten while the
 * service runs (a restart forgets those without context); until the first read of {@code
 * patients.context} has caught up, patients with context not yet read count as new.
 */
@Singleton
public final class PatientRegistry implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PatientRegistry.class);

  private final int bound;
  private final Duration retryAfter;
  private final Map<String, Set<String>> byTenant = new ConcurrentHashMap<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Thread follower;
  private volatile boolean running = true;

  public PatientRegistry(
      IngestConfig config,
      @Value("${kafka.bootstrap.servers}") String bootstrapServers,
      @Nullable
          @Property(name = "vigil.ingest.producer")
          @MapFormat(
              transformation = MapFormat.MapTransformation.FLAT,
              keyFormat = StringConvention.RAW)
          Map<String, String> clientSettings) {
    this.bound = config.maxPatientsPerTenant();
    this.retryAfter = config.patientLimitRetryAfter();
    Properties props = new Properties();
    if (clientSettings != null) {
      clientSettings.forEach(
          (k, v) -> {
            if (k.startsWith("security.") || k.startsWith("ssl.") || k.startsWith("sasl.")) {
              props.put(k, v);
            }
          });
    }
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.putAll(KafkaConnection.fromEnvironment().securityProperties());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "vigil-ingest-patients");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    this.consumer = new KafkaConsumer<>(props);
    this.follower = new Thread(this::follow, "vigil-ingest-patients");
    this.follower.setDaemon(true);
    if (bound > 0) {
      follower.start();
    }
  }

  /** The configured bound; 0 when tenants are not bounded. */
  public int bound() {
    return bound;
  }

  /**
   * Whether {@code patientId} of {@code tenant} may be written: a patient already known, or a new
   * one while the tenant has fewer patients than the bound (it is then counted).
   */
  public boolean admit(String tenant, String patientId) {
    if (bound <= 0) {
      return true;
    }
    Set<String> patients = byTenant.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet());
    if (patients.contains(patientId)) {
      return true;
    }
    synchronized (patients) {
      if (patients.contains(patientId)) {
        return true;
      }
      if (patients.size() >= bound) {
        return false;
      }
      patients.add(patientId);
      return true;
    }
  }

  /**
   * The 429 {@code patient-limit} of a request refused because its patients are new and the tenant
   * is full; the bound does not lift by waiting alone, so Retry-After is long.
   */
  public Problem limitProblem(String detail) {
    return Problem.of(ProblemType.PATIENT_LIMIT, detail)
        .with("bound", "max-patients-per-tenant")
        .with("limit", bound)
        .retryAfter(retryAfter);
  }

  /** How many patients {@code tenant} has as far as this instance knows. */
  public int count(String tenant) {
    Set<String> patients = byTenant.get(tenant);
    return patients == null ? 0 : patients.size();
  }

  private void follow() {
    String topic = Topics.PATIENTS_CONTEXT.name();
    while (running) {
      try {
        if (consumer.assignment().isEmpty()) {
          List<TopicPartition> partitions =
              consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                  .map(p -> new TopicPartition(topic, p.partition()))
                  .toList();
          if (partitions.isEmpty()) {
            Thread.sleep(1_000);
            continue;
          }
          consumer.assign(partitions);
          consumer.seekToBeginning(partitions);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          if (record.key() == null) {
            continue;
          }
          try {
            var key = Topics.PATIENT_KEY.deserializer().deserialize(topic, record.key());
            Set<String> patients =
                byTenant.computeIfAbsent(key.getTenant(), t -> ConcurrentHashMap.newKeySet());
            synchronized (patients) {
              patients.add(key.getPatientId());
            }
          } catch (RuntimeException e) {
            LOG.warn(
                "patients.context record at partition {} offset {} has an unreadable key: {}",
                record.partition(),
                record.offset(),
                e.getMessage());
          }
        }
      } catch (WakeupException e) {
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.warn("reading patients.context for the patient bound: {}; retrying", e.toString());
        try {
          Thread.sleep(1_000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @PreDestroy
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      follower.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!follower.isAlive()) {
      consumer.close(Duration.ofSeconds(2));
    }
  }
}
