package io.vigil.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.scoring.simulator.DeteriorationCheck;
import io.vigil.scoring.train.Evaluate;
import io.vigil.scoring.train.Retune;
import io.vigil.scoring.train.Train;
import io.vigil.scoring.train.TreeBaseline;
import io.vigil.tools.CommandRun;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command-line tool of this module: {@code --help} lists each documented option (with a
 * default where it has one) and the exit statuses, and exits 0; an unknown option and a value out
 * of range are refused with exit status 2, named in the message, before the tool does anything.
 */
class CommandLineToolsTest {

  /**
   * A tool as the tests see it.
   *
   * @param name the tool's class
   * @param command a new command object of the tool
   * @param required the arguments it cannot run without
   * @param aDefault a default value its help shows
   * @param options every option and parameter its documentation names
   * @param outOfRange an option with a value out of its range
   */
  record Tool(
      String name,
      Supplier<Object> command,
      List<String> required,
      String aDefault,
      List<String> options,
      List<String> outOfRange) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Tool> tools() {
    return Stream.of(
        new Tool(
            "Train",
            Train::new,
            List.of(),
            "Default: 2e-3",
            List.of(
                "--data",
                "--out",
                "--seed",
                "--features",
                "--history-hours",
                "--hours",
                "--units",
                "--epochs",
                "--batch",
                "--negative-fraction",
                "--positive-weight",
                "--patience",
                "--max-train-minutes",
                "--bootstrap",
                "--learning-rate",
                "--l2",
                "--dropout",
                "--tree-rounds",
                "--thin-fraction"),
            List.of("--hours", "0")),
        new Tool(
            "Evaluate",
            Evaluate::new,
            List.of("stays"),
            "Default: evaluation.json",
            List.of("DIR", "--bundle", "--part", "--json", "--png", "--bootstrap", "--robustness"),
            List.of("--bootstrap", "-1")),
        new Tool(
            "Retune",
            Retune::new,
            List.of("bundle"),
            "Default: 200",
            List.of("BUNDLE_DIR", "--data", "--bootstrap"),
            List.of("--bootstrap", "-1")),
        new Tool(
            "TreeBaseline",
            TreeBaseline.Cli::new,
            List.of("bundle"),
            "Default: 400",
            List.of("BUNDLE_DIR", "--data", "--rounds"),
            List.of("--rounds", "0")),
        new Tool(
            "DeteriorationCheck",
            DeteriorationCheck::new,
            List.of(),
            "Default: 90",
            List.of("--bundle", "--patients", "--seed"),
            List.of("--patients", "0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void shouldListItsOptionsDefaultsAndExitStatusesUnderHelp(Tool tool) {
    CommandRun run = CommandRun.of(tool.command().get(), "--help");

    assertEquals(0, run.status(), run.err());
    for (String option : tool.options()) {
      assertTrue(run.out().contains(option), tool + " --help lists " + option + ":\n" + run.out());
    }
    assertTrue(run.out().contains(tool.aDefault()), run.out());
    assertTrue(
        run.out().contains("Exit status:")
            && run.out().contains("  0   ")
            && run.out().contains("  2   invalid command line"),
        run.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void shouldRefuseAnUnknownOptionWithExitStatus2NamingIt(Tool tool) {
    List<String> args = new ArrayList<>(tool.required());
    args.add("--no-such-option");

    CommandRun run = CommandRun.of(tool.command().get(), args.toArray(String[]::new));

    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().contains("Unknown option: '--no-such-option'"), run.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void shouldRefuseAValueOutOfRangeWithExitStatus2NamingTheOption(Tool tool) {
    List<String> args = new ArrayList<>(tool.required());
    args.addAll(tool.outOfRange());

    CommandRun run = CommandRun.of(tool.command().get(), args.toArray(String[]::new));

    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().contains(tool.outOfRange().get(0)), run.err());
  }
}
