package io.vigil.alerts.security;

import io.micronaut.context.annotation.Value;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.kit.access.TeamKeys;
import io.vigil.schemas.VigilHome;
import io.vigil.schemas.access.SecretFiles;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local nurse accounts for the demo and small sites: a properties file {@code user =
 * hash;tenant/team,...[;operator]} under VIGIL_HOME. A nurse account belongs to one tenant: every
 * team it lists is of that tenant, and a file that gives a nurse teams of two tenants stops the
 * start. Only an account marked {@code operator} may hold teams of several tenants. A team written
 * without a tenant is a team of the default tenant ({@code vigil.alerts.default-tenant}), so files
 * written before tenants were part of team names keep working. With the demo switch ({@code
 * vigil.demo=true}) and no file yet, the demo nurse is created for the demo care teams; without it,
 * a missing file means no local account at all. The file is owner-only from its first byte.
 * Hospitals use OIDC/JWT instead (see the README).
 */
@Singleton
public final class UserStore {
  private static final Logger LOG = LoggerFactory.getLogger(UserStore.class);

  /** The role marker of an account that may hold teams of several tenants. */
  public static final String OPERATOR = "operator";

  /**
   * One account: the password hash, the care teams ({@code tenant/team}) and whether it is an
   * operator's.
   */
  public record User(String name, String hash, List<String> teams, boolean operator) {
    /** The tenants whose teams the account holds. */
    public Set<String> tenants() {
      Set<String> out = new TreeSet<>();
      teams.forEach(t -> TeamKeys.tenantOf(t).ifPresent(out::add));
      return out;
    }
  }

  private final Map<String, User> users = new ConcurrentHashMap<>();

  public UserStore(AlertsConfig config, VigilHome home, @Value("${vigil.demo}") boolean demo) {
    Path file = config.security().usersFile(home);
    if (!Files.exists(file) && !demo) {
      LOG.warn(
          "no users file at {}: nobody can sign in with a local account; add accounts with"
              + " UserStore.addUser (see the alerts README), use the hospital's identity provider,"
              + " or start with the demo switch (vigil.demo=true) for the demo nurse",
          file);
      return;
    }
    if (!Files.exists(file)) {
      List<String> teams = new ArrayList<>(config.demoTeams());
      String fallback = TeamKeys.of(config.defaultTenant(), config.fallbackTeam());
      if (!teams.contains(fallback)) {
        teams.add(fallback); // so alerts of the demo tenant's patients without a team reach someone
      }
      DemoAccounts.create(file, home.resolve("demo.env"), teams);
    }
    load(file, config.defaultTenant()).forEach(u -> users.put(u.name(), u));
  }

  public Optional<User> find(String name) {
    return Optional.ofNullable(users.get(name));
  }

  static List<User> load(Path file, String defaultTenant) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read users file " + file, e);
    }
    List<User> out = new ArrayList<>();
    List<String> bare = new ArrayList<>();
    for (String name : p.stringPropertyNames()) {
      String[] parts = p.getProperty(name).split(";", 3);
      if (parts.length < 2) {
        throw new IllegalArgumentException(
            "users file " + file + ": entry " + name + " must be hash;tenant/team1,tenant/team2");
      }
      boolean operator = parts.length == 3 && parts[2].trim().equalsIgnoreCase(OPERATOR);
      if (parts.length == 3 && !operator) {
        throw new IllegalArgumentException(
            "users file " + file + ": entry " + name + ": the third field may only be " + OPERATOR);
      }
      List<String> teams = new ArrayList<>();
      for (String written : parts[1].split(",")) {
        if (written.isBlank()) {
          continue;
        }
        if (TeamKeys.tenantOf(written.trim()).isEmpty()) {
          bare.add(name);
        }
        teams.add(TeamKeys.qualify(written, defaultTenant));
      }
      User user = new User(name, parts[0], List.copyOf(teams), operator);
      if (!operator && user.tenants().size() > 1) {
        throw new IllegalArgumentException(
            "users file "
                + file
                + ": "
                + name
                + " holds teams of tenants "
                + user.tenants()
                + "; a nurse account belongs to one tenant (mark an operator's account with ;"
                + OPERATOR
                + ")");
      }
      out.add(user);
    }
    if (!bare.isEmpty()) {
      LOG.warn(
          "users file {}: teams of {} are written without a tenant and read as teams of tenant"
              + " '{}'; write them as tenant/team",
          file,
          new TreeSet<>(bare),
          defaultTenant);
    }
    return out;
  }

  /**
   * Adds or replaces a nurse account in the users file (used by the demo and by tests); the file is
   * rewritten owner-only from its first byte.
   */
  public static void addUser(Path file, String name, String password, List<String> teams) {
    addUser(file, name, password, teams, false);
  }

  /**
   * Adds or replaces an account in the users file; {@code teams} are written {@code tenant/team},
   * and only an {@code operator} account may hold teams of several tenants.
   */
  public static synchronized void addUser(
      Path file, String name, String password, List<String> teams, boolean operator) {
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
          name,
          PasswordHasher.hash(password)
              + ";"
              + String.join(",", new LinkedHashSet<>(teams))
              + (operator ? ";" + OPERATOR : ""));
      StringWriter w = new StringWriter();
      p.store(w, "Vigil alerts users: name = pbkdf2 hash;tenant/team,...[;operator]");
      SecretFiles.write(file, w.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write users file " + file, e);
    }
  }
}
