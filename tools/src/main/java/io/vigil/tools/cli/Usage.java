package io.vigil.tools.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What Vigil's command-line tools share, mixed into each picocli command with {@code @Mixin}: the
 * {@code -h}/{@code --help} option; usage help that lists the options in the order they are
 * declared, each with its default, and the exit statuses under "Exit status:"; and usage errors: a
 * value out of range refused with the option's name, the usage help and exit status 2, before the
 * command does anything.
 *
 * <p>Each command keeps its own name, description and exit statuses in its {@code @Command}.
 */
@Command(sortOptions = false, showDefaultValues = true, exitCodeListHeading = "%nExit status:%n")
public final class Usage {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec command;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Print this help and exit.")
  private boolean help;

  /** Refuses the command line with {@code message} (exit status 2) unless {@code condition}. */
  public void require(boolean condition, String message) {
    if (!condition) {
      throw error(message);
    }
  }

  /** The usage error {@code message}: thrown from the command, it ends it with exit status 2. */
  public ParameterException error(String message) {
    return new ParameterException(command.commandLine(), message);
  }
}
