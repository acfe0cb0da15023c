package io.vigil.alerts.config;

import io.micronaut.context.ApplicationContextConfiguration;
import io.micronaut.context.DefaultApplicationContext;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySource.Origin;
import io.micronaut.context.env.PropertySource.PropertyConvention;
import io.micronaut.inject.BeanDefinitionReference;
import java.lang.annotation.Annotation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The service's settings bound as the service binds them at start (application.yml, then the given
 * properties; a wrong value stops the start), in a context that holds every bean but the ones the
 * service starts eagerly (its streams, views and readers, which need a broker): for tests that need
 * the settings, or one part of the service built by hand, without running the service.
 */
public final class ConfigContext extends DefaultApplicationContext {

  private ConfigContext(boolean processEnvironment) {
    super(
        new ApplicationContextConfiguration() {
          @Override
          public List<String> getEnvironments() {
            return List.of();
          }

          @Override
          public boolean isEnvironmentPropertySource() {
            return processEnvironment;
          }

          /** Settings are bound at start, as the service binds them. */
          @Override
          public Set<Class<? extends Annotation>> getEagerInitAnnotated() {
            return Set.of(ConfigurationProperties.class);
          }
        });
  }

  /**
   * The settings with {@code properties} on top, as {@code -D} or a config file would give them.
   */
  public static ConfigContext start(Map<String, Object> properties) {
    ConfigContext ctx = new ConfigContext(true);
    ctx.getEnvironment().addPropertySource(PropertySource.of("test", properties));
    ctx.start();
    return ctx;
  }

  /**
   * The settings with {@code env} in place of the process's environment variables, mapped as
   * Micronaut maps those.
   */
  public static ConfigContext startWithEnvironment(Map<String, String> env) {
    ConfigContext ctx = new ConfigContext(false);
    ctx.getEnvironment()
        .addPropertySource(
            PropertySource.of(
                "given-env",
                new HashMap<>(env),
                PropertyConvention.ENVIRONMENT_VARIABLE,
                Origin.of("given-env")));
    ctx.start();
    return ctx;
  }

  @Override
  protected List<BeanDefinitionReference> resolveBeanDefinitionReferences() {
    return super.resolveBeanDefinitionReferences().stream()
        .filter(r -> !r.isContextScope())
        .toList();
  }
}
