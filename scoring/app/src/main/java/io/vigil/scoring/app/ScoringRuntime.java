package io.vigil.scoring.app;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.scoring.model.ModelBundle;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the instance's {@link ScoringService} inside the Micronaut application: it starts once the
 * HTTP server is bound (so {@code application.server} carries the real port) and stops with the
 * application. Until then the risk API answers 503 and readiness is DOWN.
 */
@Singleton
public final class ScoringRuntime implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringRuntime.class);

  private final ServiceSettings configured;
  private final ModelBundle bundle;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private volatile ScoringService service;
  private volatile ServiceSettings settings;

  public ScoringRuntime(ServiceSettings settings, ModelBundle bundle) {
    this.configured = settings;
    this.settings = settings;
    this.bundle = bundle;
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (service != null) {
      return;
    }
    settings = configured.withPort(event.getSource().getPort());
    try {
      service = new ScoringService(settings, bundle, registry);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the scoring topology", e);
    }
  }

  /** The running service; empty until the HTTP server is bound. */
  public Optional<ScoringService> service() {
    return Optional.ofNullable(service);
  }

  /** The settings in force, with the bound HTTP port once the server is up. */
  public ServiceSettings settings() {
    return settings;
  }

  /** The registry {@code /metrics} exposes. */
  public PrometheusRegistry registry() {
    return registry;
  }

  @PreDestroy
  public synchronized void close() {
    if (service != null) {
      LOG.info("stopping scoring");
      service.close();
      service = null;
    }
  }
}
