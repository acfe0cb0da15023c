package io.vigil.kit.home;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySource.Origin;
import io.micronaut.context.env.PropertySource.PropertyConvention;
import io.vigil.schemas.VigilHome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VigilHomeFactoryTest {

  /** A context seeing only {@code env}, mapped as Micronaut maps the process's variables. */
  private static Path home(Map<String, Object> env) {
    try (ApplicationContext ctx =
        ApplicationContext.builder()
            .environmentPropertySource(false)
            .propertySources(
                PropertySource.of(
                    "given-env",
                    env,
                    PropertyConvention.ENVIRONMENT_VARIABLE,
                    Origin.of("given-env")))
            .start()) {
      return ctx.getBean(VigilHome.class).path();
    }
  }

  @Test
  void shouldKeepStateWhereVigilHomePointsAndInDotVigilWithoutIt() {
    assertEquals(Path.of("/var/lib/vigil"), home(Map.of("VIGIL_HOME", "/var/lib/vigil")));
    assertEquals(Path.of(".vigil"), home(Map.of()));
    assertEquals(Path.of(".vigil"), home(Map.of("VIGIL_HOME", "")));
  }
}
