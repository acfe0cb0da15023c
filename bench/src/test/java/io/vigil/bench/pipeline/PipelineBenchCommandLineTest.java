package io.vigil.bench.pipeline;

import io.vigil.tools.CommandLineContract;
import io.vigil.tools.CommandLineTool;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pipeline benchmark's command line ({@link CommandLineContract}): {@code --help} lists every
 * documented option with its default and the exit statuses, and exits 0; an unknown option and a
 * value out of range are refused with exit status 2, named in the message, before anything starts.
 */
class PipelineBenchCommandLineTest implements CommandLineContract {

  @Override
  public Stream<CommandLineTool> tools() {
    return Stream.of(
        new CommandLineTool(
            "PipelineBench",
            PipelineBench.Cli::new,
            List.of(),
            "Default: 10000",
            List.of(
                "--patients",
                "--rate",
                "--seconds",
                "--speed",
                "--clients",
                "--sick",
                "--cadence-minutes",
                "--grace-minutes",
                "--warmup",
                "--classpaths",
                "--home",
                "--no-sasl"),
            List.of(0, 1, 2),
            List.of("--seconds", "5")));
  }
}
