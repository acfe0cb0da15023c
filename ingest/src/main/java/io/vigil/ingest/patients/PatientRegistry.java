package io.vigil.ingest.patients;

import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The patients each tenant has, for the per-tenant bound ({@link
 * IngestConfig#maxPatientsPerTenant}).
 *
 * <p>A tenant's patients are those with a record on the compacted {@code patients.context} (read
 * from the beginning at start and followed while the service runs by the {@link ContextFollower},
 * so context written through any ingest instance counts) and those this instance accepted readings
 * or context for since it started. Limits of this choice: patients known only from readings sent
 * through another ingest instance, or produced straight to Kafka, are not counted here, so with N
 * instances a tenant may reach up to N times the bound in patients without context; patients are
 * never forgotten while the service runs (a restart forgets those without context); while the
 * follower is catching up or down, patients with context it has not read yet count as new.
 */
@Singleton
public final class PatientRegistry {
  private final int bound;
  private final Duration retryAfter;
  private final Map<String, Set<String>> byTenant = new ConcurrentHashMap<>();

  public PatientRegistry(IngestConfig config) {
    this.bound = config.maxPatientsPerTenant();
    this.retryAfter = config.patientLimitRetryAfter();
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

  /**
   * A patient with a record on {@code patients.context}: counted for its tenant whatever the bound,
   * since its context is written already.
   */
  void add(String tenant, String patientId) {
    Set<String> patients = byTenant.computeIfAbsent(tenant, t -> ConcurrentHashMap.newKeySet());
    synchronized (patients) {
      patients.add(patientId);
    }
  }
}
