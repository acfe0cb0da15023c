package io.vigil.ingest.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.vigil.ingest.IngestConfig;
import io.vigil.schemas.access.ApiKeyFile;
import io.vigil.schemas.access.Scope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the very first start (no key file yet) creates the source {@code demo-platform} of tenant
 * {@code demo}, prints its key once and writes it to {@code $VIGIL_HOME/demo.env} so that the local
 * simulator and scripts can use it. Other lines of demo.env (other services') are kept.
 */
@Context
@Requires(property = "vigil.ingest.demo-source", value = "true", defaultValue = "true")
public final class DemoSource {
  static final String SOURCE = "demo-platform";
  static final String TENANT = "demo";
  private static final Logger LOG = LoggerFactory.getLogger(DemoSource.class);

  public DemoSource(IngestConfig config) throws IOException {
    Path keys = config.apiKeysPath();
    if (Files.exists(keys)) {
      return;
    }
    ApiKeyFile.NewKey key =
        ApiKeyFile.create(SOURCE, TENANT, Set.of(Scope.WRITE, Scope.READ), Instant.now());
    ApiKeyFile.write(keys, List.of(key.entry()));
    Path env = config.home().resolve("demo.env");
    updateEnv(env, key.token());
    LOG.info(
        "created demo source {} (tenant {}); its API key, shown only now: {} (also in {})",
        SOURCE,
        TENANT,
        key.token(),
        env);
  }

  /** Replaces the VIGIL_API_KEY and VIGIL_TENANT lines, keeping every other line. */
  static void updateEnv(Path env, String token) throws IOException {
    List<String> lines = new ArrayList<>();
    if (Files.exists(env)) {
      for (String line : Files.readAllLines(env, StandardCharsets.UTF_8)) {
        if (!line.startsWith("VIGIL_API_KEY=") && !line.startsWith("VIGIL_TENANT=")) {
          lines.add(line);
        }
      }
    }
    lines.add("VIGIL_API_KEY=" + token);
    lines.add("VIGIL_TENANT=" + TENANT);
    Files.createDirectories(env.toAbsolutePath().getParent());
    Files.write(env, lines, StandardCharsets.UTF_8);
  }
}
