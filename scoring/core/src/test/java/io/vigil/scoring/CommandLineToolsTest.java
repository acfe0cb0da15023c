package io.vigil.scoring;

import io.vigil.scoring.simulator.DeteriorationCheck;
import io.vigil.scoring.train.Evaluate;
import io.vigil.scoring.train.Retune;
import io.vigil.scoring.train.Train;
import io.vigil.scoring.train.TreeBaseline;
import io.vigil.tools.CommandLineContract;
import io.vigil.tools.CommandLineTool;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every command-line tool of this module ({@link CommandLineContract}): {@code --help} lists each
 * documented option (with a default where it has one) and the exit statuses, and exits 0; an
 * unknown option and a value out of range are refused with exit status 2, named in the message,
 * before the tool does anything.
 */
class CommandLineToolsTest implements CommandLineContract {

  @Override
  public Stream<CommandLineTool> tools() {
    return Stream.of(
        new CommandLineTool(
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
            List.of(0, 1, 2),
            List.of("--hours", "0")),
        new CommandLineTool(
            "Evaluate",
            Evaluate::new,
            List.of("stays"),
            "Default: evaluation.json",
            List.of("DIR", "--bundle", "--part", "--json", "--png", "--bootstrap", "--robustness"),
            List.of(0, 1, 2),
            List.of("--bootstrap", "-1")),
        new CommandLineTool(
            "Retune",
            Retune::new,
            List.of("bundle"),
            "Default: 200",
            List.of("BUNDLE_DIR", "--data", "--bootstrap"),
            List.of(0, 1, 2),
            List.of("--bootstrap", "-1")),
        new CommandLineTool(
            "TreeBaseline",
            TreeBaseline.Cli::new,
            List.of("bundle"),
            "Default: 400",
            List.of("BUNDLE_DIR", "--data", "--rounds"),
            List.of(0, 1, 2),
            List.of("--rounds", "0")),
        new CommandLineTool(
            "DeteriorationCheck",
            DeteriorationCheck::new,
            List.of(),
            "Default: 90",
            List.of("--bundle", "--patients", "--seed"),
            List.of(0, 1, 2),
            List.of("--patients", "0")));
  }
}
