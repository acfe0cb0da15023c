package io.vigil.alerts.security;

import io.vigil.schemas.access.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo nurse, created only with the demo switch ({@code vigil.demo=true}: {@code VIGIL_DEMO} or
 * {@code --vigil.demo=true}, which {@code ./vigil up} passes) and only while there is no users file
 * yet: a nurse of the demo tenant's demo teams ({@code tenant/team}). Its password is printed once
 * (the demo banner) and written to {@code demo.env} as VIGIL_NURSE_USER / VIGIL_NURSE_PASSWORD;
 * both files are owner-only from their first byte. Other services write their own lines to the same
 * file, so only these two lines are replaced.
 */
final class DemoAccounts {
  static final String USER = "nurse";
  private static final Logger LOG = LoggerFactory.getLogger(DemoAccounts.class);

  private DemoAccounts() {}

  static void create(Path usersFile, Path demoEnv, List<String> teams) {
    String password = Secrets.randomToken(12);
    UserStore.addUser(usersFile, USER, password, teams);
    writeDemoEnv(demoEnv, USER, password);
    LOG.info(
        "demo: created nurse account '{}' for care teams {}; its password, shown only now: {}"
            + " (also in {})",
        USER,
        teams,
        password,
        demoEnv);
  }

  static synchronized void writeDemoEnv(Path demoEnv, String user, String password) {
    try {
      List<String> lines = new ArrayList<>();
      if (Files.exists(demoEnv)) {
        for (String line : Files.readAllLines(demoEnv, StandardCharsets.UTF_8)) {
          if (!line.startsWith("VIGIL_NURSE_USER=") && !line.startsWith("VIGIL_NURSE_PASSWORD=")) {
            lines.add(line);
          }
        }
      }
      lines.add("VIGIL_NURSE_USER=" + user);
      lines.add("VIGIL_NURSE_PASSWORD=" + password);
      SecretFiles.write(demoEnv, String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + demoEnv, e);
    }
  }
}
