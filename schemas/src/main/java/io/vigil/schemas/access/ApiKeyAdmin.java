package io.vigil.schemas.access;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The key file's management commands, shared by every service's command line:
 *
 * <ul>
 *   <li>{@code create <sourceId> <tenant> [--scopes write,read]} (also {@code add}): a new key,
 *       printed once; scopes default to {@code write};
 *   <li>{@code list}: every key with its source, tenant, scopes, creation and revocation time
 *       (never a secret or hash);
 *   <li>{@code revoke <keyId>}: the key stops working within a second in every running service.
 * </ul>
 *
 * <p>Rotation: create a second key for the source, switch the platform to it, revoke the old one;
 * both work in between.
 */
public final class ApiKeyAdmin {
  /** Scopes of a key created without {@code --scopes}. */
  public static final Set<Scope> DEFAULT_SCOPES = Set.of(Scope.WRITE);

  public static final String USAGE =
      "usage: ApiKeys [--file <path>] create <sourceId> <tenant> [--scopes write,read]"
          + " | list | revoke <keyId>";

  private ApiKeyAdmin() {}

  /**
   * Runs one command against {@code file}, printing to {@code out}.
   *
   * @throws IllegalArgumentException with the usage or the reason on a wrong command line
   */
  public static void run(List<String> arguments, Path file, PrintStream out) throws IOException {
    List<String> args = new ArrayList<>(arguments);
    Set<Scope> scopes = DEFAULT_SCOPES;
    int at = args.indexOf("--scopes");
    if (at >= 0) {
      if (at + 1 >= args.size()) {
        throw new IllegalArgumentException(USAGE);
      }
      scopes = Scope.parseList(args.get(at + 1));
      args.remove(at + 1);
      args.remove(at);
    }
    String command = args.isEmpty() ? "" : args.get(0);
    if (at >= 0 && !command.equals("create") && !command.equals("add")) {
      throw new IllegalArgumentException("--scopes only applies to create; " + USAGE);
    }
    List<ApiKeyEntry> entries = Files.exists(file) ? ApiKeyFile.read(file) : new ArrayList<>();
    switch (command) {
      case "create", "add" -> {
        requireArgs(args, 3);
        ApiKeyFile.NewKey key = ApiKeyFile.create(args.get(1), args.get(2), scopes, Instant.now());
        List<ApiKeyEntry> updated = new ArrayList<>(entries);
        updated.add(key.entry());
        ApiKeyFile.write(file, updated);
        out.println(
            "key id "
                + key.entry().keyId()
                + " for source "
                + args.get(1)
                + " (tenant "
                + args.get(2)
                + ", scopes "
                + Scope.format(key.entry().scopes())
                + "); the key is shown only now:");
        out.println(key.token());
      }
      case "revoke" -> {
        requireArgs(args, 2);
        List<ApiKeyEntry> updated = new ArrayList<>();
        boolean found = false;
        for (ApiKeyEntry e : entries) {
          if (e.keyId().equals(args.get(1)) && e.active()) {
            updated.add(e.revoked(Instant.now()));
            found = true;
          } else {
            updated.add(e);
          }
        }
        if (!found) {
          throw new IllegalArgumentException("no active key " + args.get(1) + " in " + file);
        }
        ApiKeyFile.write(file, updated);
        out.println("revoked " + args.get(1));
      }
      case "list" -> {
        requireArgs(args, 1);
        out.println("keyId\tsource\ttenant\tscopes\tcreated\trevoked");
        for (ApiKeyEntry e : entries) {
          out.println(
              String.join(
                  "\t",
                  e.keyId(),
                  e.sourceId(),
                  e.tenant(),
                  e.scopes().isEmpty() ? "-" : Scope.format(e.scopes()),
                  e.createdAt().toString(),
                  e.revokedAt() == null ? "-" : e.revokedAt().toString()));
        }
      }
      default -> throw new IllegalArgumentException(USAGE);
    }
  }

  private static void requireArgs(List<String> args, int count) {
    if (args.size() != count) {
      throw new IllegalArgumentException(USAGE);
    }
  }
}
