package io.vigil.tools.replay;

import io.vigil.tools.CommandLineContract;
import io.vigil.tools.CommandLineTool;
import java.util.List;
import java.util.stream.Stream;

/**
 * The replay's command line ({@link CommandLineContract}): {@code --help} lists each documented
 * option (with a default) and the exit statuses, and exits 0; an unknown option and a value out of
 * range are refused with exit status 2, named in the message, before anything is read or sent.
 */
class ReplayCommandLineTest implements CommandLineContract {

  @Override
  public Stream<CommandLineTool> tools() {
    return Stream.of(
        new CommandLineTool(
            "Replay",
            Replay.Cli::new,
            List.of("stays", "--api-key", "k"),
            "Default: icu-replay",
            List.of(
                "DIR",
                "--ingest",
                "--api-key",
                "--start",
                "--limit",
                "--prefix",
                "--care-team",
                "--batch",
                "--order",
                "--concurrency",
                "--shuffle",
                "--seed"),
            List.of(0, 1, 2),
            List.of("--concurrency", "0")));
  }
}
