package io.vigil.ingest.auth;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line for the key file: {@code add <sourceId> <tenant>}, {@code revoke <keyId>}, {@code
 * list}. The file is {@code --file <path>}, else {@code $VIGIL_INGEST_API_KEYS} resolved against
 * {@code $VIGIL_HOME} (default {@code .vigil/ingest-api-keys.tsv}), as the service reads it.
 *
 * <p>Rotation: {@code add} a second key for the source, deploy it at the platform, then {@code
 * revoke} the old one; both work in between. The running service picks changes up within a second.
 */
public final class ApiKeys {
  private ApiKeys() {}

  public static void main(String[] args) throws IOException {
    List<String> rest = new ArrayList<>(List.of(args));
    Path file = defaultFile();
    int at = rest.indexOf("--file");
    if (at >= 0 && at + 1 < rest.size()) {
      file = Path.of(rest.get(at + 1));
      rest.remove(at + 1);
      rest.remove(at);
    }
    run(rest, file, System.out);
  }

  static Path defaultFile() {
    String home = System.getenv().getOrDefault("VIGIL_HOME", ".vigil");
    String name = System.getenv().getOrDefault("VIGIL_INGEST_API_KEYS", "ingest-api-keys.tsv");
    return Path.of(home).resolve(name);
  }

  /** Runs one command; throws IllegalArgumentException (with the usage) on a wrong command line. */
  public static void run(List<String> args, Path file, PrintStream out) throws IOException {
    String command = args.isEmpty() ? "" : args.get(0);
    List<ApiKeyEntry> entries = Files.exists(file) ? ApiKeyFile.read(file) : new ArrayList<>();
    switch (command) {
      case "add" -> {
        requireArgs(args, 3);
        ApiKeyFile.NewKey key = ApiKeyFile.create(args.get(1), args.get(2), Instant.now());
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
        out.println("keyId\tsource\ttenant\tcreated\trevoked");
        for (ApiKeyEntry e : entries) {
          out.println(
              String.join(
                  "\t",
                  e.keyId(),
                  e.sourceId(),
                  e.tenant(),
                  e.createdAt().toString(),
                  e.revokedAt() == null ? "-" : e.revokedAt().toString()));
        }
      }
      default -> throw new IllegalArgumentException(usage());
    }
  }

  private static void requireArgs(List<String> args, int count) {
    if (args.size() != count) {
      throw new IllegalArgumentException(usage());
    }
  }

  private static String usage() {
    return "usage: ApiKeys [--file <path>] add <sourceId> <tenant> | revoke <keyId> | list";
  }
}
