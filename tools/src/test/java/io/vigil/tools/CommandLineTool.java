package io.vigil.tools;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A command-line tool as {@link CommandLineContract} checks it.
 *
 * @param name the tool's class
 * @param command a new command object of the tool
 * @param required the arguments it cannot run without
 * @param aDefault a default value its help shows
 * @param options every option and parameter its documentation names
 * @param exitStatuses every exit status its help lists
 * @param outOfRange an option with a value out of its range
 */
public record CommandLineTool(
    String name,
    Supplier<Object> command,
    List<String> required,
    String aDefault,
    List<String> options,
    List<Integer> exitStatuses,
    List<String> outOfRange) {

  /** Runs a new command object of the tool with its required arguments and then {@code args}. */
  public CommandRun run(List<String> args) {
    return CommandRun.of(
        command.get(), Stream.concat(required.stream(), args.stream()).toArray(String[]::new));
  }

  @Override
  public String toString() {
    return name;
  }
}
