package io.vigil.scoring.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigil.schemas.VigilHome;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.model.ModelBundle;
import jakarta.annotation.PreDestroy;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the instance's {@link ScoringService} inside the Micronaut application: it starts once the
 * HTTP server is bound (so {@code application.server} carries the real port) and stops with the
 * application. Until then the risk API answers 503 and readiness is DOWN. Created with the context,
 * so the model bundle is loaded and the settings are checked before the server binds.
 */
@Context
public final class ScoringRuntime implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringRuntime.class);

  private final ServiceConfig config;
  private final ScoringConfig topology;
  private final KafkaConfig kafka;
  private final VigilHome home;
  private final ModelBundle bundle;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private volatile ScoringService service;
  private volatile HostInfo advertised;

  public ScoringRuntime(
      ServiceConfig config,
      ScoringConfig topology,
      KafkaConfig kafka,
      VigilHome home,
      ModelBundle bundle) {
    this.config = config;
    this.topology = topology;
    this.kafka = kafka;
    this.home = home;
    this.bundle = bundle;
  }

  @Override
  public synchronized void onApplicationEvent(ServerStartupEvent event) {
    if (service != null) {
      return;
    }
    advertised = new HostInfo(config.host(), event.getSource().getPort());
    try {
      service =
          new ScoringService(
              config, topology, kafka, config.stateDir(home), advertised, bundle, registry);
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

  /** Where other instances reach this one (the bound HTTP port); null until the server is bound. */
  public HostInfo advertised() {
    return advertised;
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
