package io.vigil.scoring.replay;

import io.vigil.scoring.physionet.PhysioNetReader;
import io.vigil.scoring.physionet.PhysioNetStay;
import io.vigil.scoring.train.Args;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays PhysioNet 2019 stays through the ingest HTTP API so that real ICU data flows through the
 * live pipeline.
 *
 * <p>Usage: {@code Replay DIR --ingest URL --api-key KEY [--start ISO-8601] [--limit N] [--prefix
 * physionet-] [--care-team icu-replay] [--batch 1000]}. DIR is a folder of {@code .psv} files or
 * the set's {@code .tar.gz}.
 *
 * <p>Mapping (see {@link PhysioNetStay}): each stay becomes patient {@code <prefix><stay id>} of
 * the API key's tenant. Its context is put first ({@code PUT /v1/patients/{id}}: care team, age in
 * whole years, sex, {@code monitoringStart} = S); then every plausible vital of row ICULOS = k is
 * posted ({@code POST /v1/observations}) with time {@code S + (k-1) h + 30 min}, reading id {@code
 * <stay>-<k>-<vital>}, device {@code physionet2019}. S is {@code --start} (a whole hour), by
 * default the current hour minus 15 days: every stay of set A (at most 336 h) then lies in the past
 * and inside ingest's default 30-day age limit. Pass {@code --start} to make a replay repeatable;
 * the same start gives the same readings, and ingest and scoring deduplicate by reading id.
 */
public final class Replay {
  private final IngestClient ingest;

  Replay(URI ingest, String apiKey) {
    this.ingest = new IngestClient(ingest, apiKey);
  }

  public static void main(String[] argv) throws Exception {
    Args args = new Args(argv);
    if (args.positional.isEmpty() || !args.options.containsKey("api-key")) {
      throw new IllegalArgumentException(
          "usage: Replay DIR --ingest URL --api-key KEY [--start ISO-8601] [--limit N]"
              + " [--prefix physionet-] [--care-team icu-replay] [--batch 1000]");
    }
    Instant start =
        args.options.containsKey("start")
            ? Instant.parse(args.get("start", null))
            : Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(15));
    Replay replay =
        new Replay(
            URI.create(args.get("ingest", "http://localhost:8081")), args.get("api-key", null));
    List<PhysioNetStay> stays = PhysioNetReader.read(Path.of(args.positional.get(0))).stays();
    int limit = args.getInt("limit", stays.size());
    int batch = args.getInt("batch", 1000);
    String prefix = args.get("prefix", "physionet-");
    String team = args.get("care-team", "icu-replay");
    long readings = 0;
    for (PhysioNetStay stay : stays.subList(0, Math.min(limit, stays.size()))) {
      readings += replay.replay(stay, prefix + stay.id(), team, start, batch);
    }
    System.out.printf(
        Locale.ROOT,
        "replayed %d stays, %d readings, monitoring start %s%n",
        Math.min(limit, stays.size()),
        readings,
        start);
  }

  /** Puts the stay's context and posts its readings; returns the number of readings sent. */
  int replay(PhysioNetStay stay, String patientId, String careTeam, Instant start, int batch)
      throws IOException, InterruptedException {
    ingest.putPatient(patientId, ReplayJson.context(careTeam, stay.age(), stay.sex(), start));
    List<PhysioNetStay.Reading> all = stay.readings(start);
    for (int from = 0; from < all.size(); from += batch) {
      List<String> items = new ArrayList<>();
      for (PhysioNetStay.Reading r : all.subList(from, Math.min(all.size(), from + batch))) {
        items.add(ReplayJson.reading(stay.id(), patientId, r));
      }
      ingest.postReadings("{\"readings\":[" + String.join(",", items) + "]}");
    }
    return all.size();
  }
}
