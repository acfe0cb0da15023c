package io.vigil.scoring.train;

import io.vigil.tools.physionet.PhysioNetStay;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded patient-level split: every stay goes wholly to one part, 70 % train, 15 % validation, 15 %
 * test, stratified by whether the stay is septic so each part has the same share of septic stays; a
 * group of three or more stays gives validation and test at least one each (so that a small data
 * set still has both classes to validate on). Depends only on the stays' ids, labels and the seed,
 * so it is reproduced from a bundle's seed.
 */
public final class Split {
  public enum Part {
    TRAIN,
    VALIDATION,
    TEST
  }

  private Split() {}

  public static Map<String, Part> of(List<PhysioNetStay> stays, long seed) {
    List<String> septic = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (PhysioNetStay s : stays.stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
      (s.septic() ? septic : other).add(s.id());
    }
    Map<String, Part> parts = new HashMap<>();
    Random random = new Random(seed);
    for (List<String> group : List.of(septic, other)) {
      Collections.shuffle(group, random);
      int n = group.size();
      int validation = (int) Math.round(n * 0.15);
      int train = (int) Math.round(n * 0.70);
      if (n >= 3) {
        validation = Math.max(1, validation);
        train = Math.min(train, n - validation - 1);
      }
      for (int i = 0; i < group.size(); i++) {
        parts.put(
            group.get(i),
            i < train ? Part.TRAIN : i < train + validation ? Part.VALIDATION : Part.TEST);
      }
    }
    return parts;
  }

  /**
   * Reads {@code data}, refuses it unless it is the bundle's training data (same hash), and
   * re-creates the bundle's split from its seed.
   */
  public static Map<Part, List<PhysioNetStay>> readParts(
      java.nio.file.Path data, io.vigil.scoring.model.BundleMetadata bundle)
      throws java.io.IOException {
    io.vigil.tools.physionet.PhysioNetReader.Result read =
        io.vigil.tools.physionet.PhysioNetReader.read(data);
    if (!read.dataHash().equals(bundle.dataHash())) {
      throw new IllegalArgumentException("data differs from the bundle's training data");
    }
    Map<String, Part> parts = of(read.stays(), bundle.seed());
    Map<Part, List<PhysioNetStay>> out = new java.util.EnumMap<>(Part.class);
    for (Part p : Part.values()) {
      out.put(p, select(read.stays(), parts, p));
    }
    return out;
  }

  public static List<PhysioNetStay> select(
      List<PhysioNetStay> stays, Map<String, Part> parts, Part part) {
    return stays.stream().filter(s -> parts.get(s.id()) == part).toList();
  }
}
