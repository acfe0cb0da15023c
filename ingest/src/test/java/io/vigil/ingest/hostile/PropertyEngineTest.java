package io.vigil.ingest.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The generated properties cannot be skipped without a failure: the jqwik engine is on the test
 * class path of the JUnit Platform that surefire runs, and it finds every property of {@link
 * HostileIngestTest}. Without the engine (only jqwik's API) surefire would run nothing and report
 * nothing.
 */
class PropertyEngineTest {
  @Test
  void shouldDiscoverEveryPropertyWithTheJqwikEngine() {
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectClass(HostileIngestTest.class))
            .filters(EngineFilter.includeEngines("jqwik"))
            .build();
    TestPlan plan = LauncherFactory.create().discover(request);
    long properties =
        Arrays.stream(HostileIngestTest.class.getDeclaredMethods())
            .filter(m -> m.isAnnotationPresent(net.jqwik.api.Property.class))
            .count();
    assertEquals(7, properties, "the properties this test knows of");
    assertEquals(properties, plan.countTestIdentifiers(TestIdentifier::isTest));
  }
}
