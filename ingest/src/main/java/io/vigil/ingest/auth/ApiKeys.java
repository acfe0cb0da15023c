package io.vigil.ingest.auth;

import io.vigil.schemas.access.ApiKeyAdmin;
import io.vigil.schemas.access.ApiKeyFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line for the key file (see {@link ApiKeyAdmin}): {@code create <sourceId> <tenant>
 * [--scopes write,read]} (also {@code add}), {@code list}, {@code revoke <keyId>}. The file is
 * {@code --file <path>}, else {@code $VIGIL_INGEST_API_KEYS} resolved against {@code $VIGIL_HOME}
 * (default {@code .vigil/ingest-api-keys.tsv}), as the services read it.
 *
 * <p>Rotation: create a second key for the source, deploy it at the platform, then revoke the old
 * one; both work in between. Running services pick changes up within a second.
 */
public final class ApiKeys {
  private ApiKeys() {}

  public static void main(String[] args) throws IOException {
    List<String> rest = new ArrayList<>(List.of(args));
    Path file = ApiKeyFile.defaultLocation(System.getenv());
    int at = rest.indexOf("--file");
    if (at >= 0 && at + 1 < rest.size()) {
      file = Path.of(rest.get(at + 1));
      rest.remove(at + 1);
      rest.remove(at);
    }
    ApiKeyAdmin.run(rest, file, System.out);
  }

  /** Runs one command; throws IllegalArgumentException (with the usage) on a wrong command line. */
  public static void run(List<String> args, Path file, PrintStream out) throws IOException {
    ApiKeyAdmin.run(args, file, out);
  }
}
