package io.vigil.kit.home;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.vigil.schemas.VigilHome;
import jakarta.inject.Singleton;

/**
 * The service's state folder as a bean, so that every part of a service uses the one folder: the
 * property {@code vigil.home}, which Micronaut maps the environment variable {@code VIGIL_HOME}
 * onto, resolved by {@link VigilHome} (unset: {@value VigilHome#DEFAULT}).
 */
@Factory
public final class VigilHomeFactory {

  @Singleton
  VigilHome vigilHome(@Value("${vigil.home:}") String configured) {
    return VigilHome.of(configured);
  }
}
