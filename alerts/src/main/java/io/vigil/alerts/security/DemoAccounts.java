package io.vigil.alerts.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo nurse created on first start, a nurse of the demo tenant's demo teams ({@code
 * tenant/team}): printed, and written to {@code demo.env} as VIGIL_NURSE_USER /
 * VIGIL_NURSE_PASSWORD. Other services write their own lines to the same file, so only these two
 * lines are replaced.
 */
final class DemoAccounts {
  static final String USER = "nurse";

  private DemoAccounts() {}

  static void create(Path usersFile, Path demoEnv, List<String> teams) {
    String password = Secrets.randomToken(12);
    UserStore.addUser(usersFile, USER, password, teams);
    writeDemoEnv(demoEnv, USER, password);
    System.out.println(
        "Vigil alerts: demo nurse account '"
            + USER
            + "' with password '"
            + password
            + "' for care teams "
            + teams
            + " (also in "
            + demoEnv
            + ")");
  }

  static synchronized void writeDemoEnv(Path demoEnv, String user, String password) {
    try {
      Files.createDirectories(demoEnv.getParent());
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
      Path tmp = Files.createTempFile(demoEnv.getParent(), "demo.env", ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Secrets.restrict(tmp);
      Files.move(tmp, demoEnv, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + demoEnv, e);
    }
  }
}
