package io.vigil.ingest.auth;

import io.vigil.schemas.access.ApiKeyAdmin;
import io.vigil.schemas.access.ApiKeyFile;
import io.vigil.schemas.access.Scope;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * Command line for the key file (see {@link ApiKeyAdmin}): {@code create <sourceId> <tenant>
 * [--scopes write,read]} (also {@code add}), {@code list}, {@code revoke <keyId>}, each with {@code
 * --help}. The file is {@code --file <path>} (before or after the command), else {@code
 * $VIGIL_INGEST_API_KEYS} resolved against {@code $VIGIL_HOME} (default {@code
 * .vigil/ingest-api-keys.tsv}), as the services read it. A wrong command line, an invalid source or
 * tenant and an unknown key id end with exit status 2 and the reason.
 *
 * <p>Rotation: create a second key for the source, deploy it at the platform, then revoke the old
 * one; both work in between. Running services pick changes up within a second.
 */
@Command(
    name = "ApiKeys",
    description = "Manages the platform API keys of the key file ingest and scoring read.",
    subcommands = {ApiKeys.Create.class, ApiKeys.ListKeys.class, ApiKeys.Revoke.class},
    exitCodeListHeading = ApiKeys.EXIT_HEADING,
    exitCodeList = {ApiKeys.EXIT_OK, ApiKeys.EXIT_FAILED, ApiKeys.EXIT_USAGE})
public final class ApiKeys {
  static final String EXIT_HEADING = "%nExit status:%n";
  static final String EXIT_OK = "0:done";
  static final String EXIT_FAILED =
      "1:the key file could not be read or written (the error is printed)";
  static final String EXIT_USAGE =
      "2:invalid command line: an unknown command or option, an invalid source or tenant, an"
          + " unknown scope, or no active key with that id";

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Print this help and exit.")
  private boolean help;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      scope = ScopeType.INHERIT,
      description =
          "Key file. Default: $VIGIL_INGEST_API_KEYS resolved against $VIGIL_HOME"
              + " (.vigil/ingest-api-keys.tsv), where the services read it.")
  private Path file;

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] args) {
    System.exit(new CommandLine(new ApiKeys()).execute(args));
  }

  private Path file() {
    return file != null ? file : ApiKeyFile.defaultLocation(System.getenv());
  }

  /** {@code create <sourceId> <tenant> [--scopes write,read]}, also {@code add}. */
  @Command(
      name = "create",
      aliases = "add",
      description =
          "Creates a key for a source of a tenant and prints it: the only time it is shown.",
      showDefaultValues = true,
      exitCodeListHeading = EXIT_HEADING,
      exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
  static final class Create implements Callable<Integer> {
    @ParentCommand private ApiKeys keys;
    @Spec private CommandSpec spec;

    @Parameters(
        index = "0",
        paramLabel = "SOURCE_ID",
        description = "The platform or source the key is for (identifier rules, ingest/README.md).")
    private String sourceId;

    @Parameters(index = "1", paramLabel = "TENANT", description = "The tenant it writes and reads.")
    private String tenant;

    @Option(
        names = "--scopes",
        paramLabel = "SCOPE[,SCOPE]",
        hideParamSyntax = true,
        split = ",",
        defaultValue = "write",
        converter = ScopeOption.class,
        description = "write (post readings and context), read (read patient data), or both.")
    private Set<Scope> scopes;

    @Override
    public Integer call() throws IOException {
      try {
        ApiKeyAdmin.create(keys.file(), sourceId, tenant, scopes, spec.commandLine().getOut());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      return 0;
    }
  }

  /** {@code list}. */
  @Command(
      name = "list",
      description =
          "Lists every key: id, source, tenant, scopes, created, revoked (never a secret).",
      exitCodeListHeading = EXIT_HEADING,
      exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand private ApiKeys keys;
    @Spec private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      ApiKeyAdmin.list(keys.file(), spec.commandLine().getOut());
      return 0;
    }
  }

  /** {@code revoke <keyId>}. */
  @Command(
      name = "revoke",
      description = "Revokes a key: it stops working within a second in every running service.",
      exitCodeListHeading = EXIT_HEADING,
      exitCodeList = {EXIT_OK, EXIT_FAILED, EXIT_USAGE})
  static final class Revoke implements Callable<Integer> {
    @ParentCommand private ApiKeys keys;
    @Spec private CommandSpec spec;

    @Parameters(paramLabel = "KEY_ID", description = "The key's id, as list shows it.")
    private String keyId;

    @Override
    public Integer call() throws IOException {
      try {
        ApiKeyAdmin.revoke(keys.file(), keyId, spec.commandLine().getOut());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      return 0;
    }
  }

  /** One scope of {@code --scopes} by its code ({@link Scope#byCode}). */
  static final class ScopeOption implements ITypeConverter<Scope> {
    @Override
    public Scope convert(String code) {
      return Scope.byCode(code)
          .orElseThrow(
              () ->
                  new TypeConversionException(
                      "unknown scope '" + code + "'; scopes are write, read"));
    }
  }
}
