package io.vigil.ingest.auth;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.vigil.ingest.IngestConfig;
import io.vigil.schemas.VigilHome;
import io.vigil.schemas.access.ApiKeyFile;
import io.vigil.schemas.access.Scope;
import io.vigil.schemas.access.SecretFiles;
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
 * The demo platform, created only with the demo switch ({@code vigil.demo=true}: {@code VIGIL_DEMO}
 * or {@code --vigil.demo=true}, which {@code ./vigil up} passes) and only while there is no key
 * file yet: the source {@code demo-platform} of tenant {@code demo} with scopes {@code write,read}.
 * Its key is printed once (the demo banner) and written to {@code $VIGIL_HOME/demo.env} so that the
 * simulated ward and scripts can use it; other lines of demo.env (other services') are kept. Both
 * files are owner-only from their first byte.
 */
@Context
@Requires(property = "vigil.demo", value = "true")
public final class DemoSource {
  static final String SOURCE = "demo-platform";
  static final String TENANT = "demo";
  private static final Logger LOG = LoggerFactory.getLogger(DemoSource.class);

  public DemoSource(IngestConfig config, VigilHome home) throws IOException {
    Path keys = config.apiKeysPath(home);
    if (Files.exists(keys)) {
      return;
    }
    ApiKeyFile.NewKey key =
        ApiKeyFile.create(SOURCE, TENANT, Set.of(Scope.WRITE, Scope.READ), Instant.now());
    ApiKeyFile.write(keys, List.of(key.entry()));
    Path env = home.resolve("demo.env");
    updateEnv(env, key.token());
    LOG.info(
        "demo: created source {} (tenant {}, scopes write,read); its API key, shown only now: {}"
            + " (also in {})",
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
    SecretFiles.write(env, String.join("\n", lines) + "\n");
  }
}
