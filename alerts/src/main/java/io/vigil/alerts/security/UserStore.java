package io.vigil.alerts.security;

import io.vigil.alerts.config.AlertsConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Local nurse accounts for the demo and small sites: a properties file {@code user = hash;team,...}
 * under VIGIL_HOME. On first start (no file) a demo nurse is created for the demo care teams.
 * Hospitals use OIDC/JWT instead (see the README).
 */
@Singleton
public final class UserStore {
  /** One account: the password hash and the care teams. */
  public record User(String name, String hash, List<String> teams) {}

  private final Map<String, User> users = new ConcurrentHashMap<>();

  public UserStore(AlertsConfig config) {
    Path file = config.usersFile();
    if (!Files.exists(file)) {
      List<String> teams = new ArrayList<>(config.demoTeams());
      String fallback = config.lifecycle().fallbackTeam();
      if (!teams.contains(fallback)) {
        teams.add(fallback); // so alerts of patients without a known team reach someone
      }
      DemoAccounts.create(file, config.home().resolve("demo.env"), teams);
    }
    load(file).forEach(u -> users.put(u.name(), u));
  }

  public Optional<User> find(String name) {
    return Optional.ofNullable(users.get(name));
  }

  static List<User> load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read users file " + file, e);
    }
    List<User> out = new ArrayList<>();
    for (String name : p.stringPropertyNames()) {
      String[] parts = p.getProperty(name).split(";", 2);
      if (parts.length != 2) {
        throw new IllegalArgumentException(
            "users file " + file + ": entry " + name + " must be hash;team1,team2");
      }
      List<String> teams =
          Arrays.stream(parts[1].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
      out.add(new User(name, parts[0], teams));
    }
    return out;
  }

  /** Adds or replaces an account in the users file (used by the demo and by tests). */
  public static synchronized void addUser(
      Path file, String name, String password, List<String> teams) {
    if (name.isBlank() || name.contains("=") || name.contains(":") || name.contains(" ")) {
      throw new IllegalArgumentException("user name must be non-blank without '=', ':' or spaces");
    }
    Properties p = new Properties();
    try {
      Files.createDirectories(file.getParent());
      if (Files.exists(file)) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          p.load(r);
        }
      }
      p.setProperty(
          name, PasswordHasher.hash(password) + ";" + String.join(",", new LinkedHashSet<>(teams)));
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        p.store(w, "Vigil alerts users: name = pbkdf2 hash;care teams");
      }
      Secrets.restrict(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write users file " + file, e);
    }
  }
}
