package io.vigil.scoring.train;

import io.vigil.scoring.physionet.PhysioNetStay;
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

  public static List<PhysioNetStay> select(
      List<PhysioNetStay> stays, Map<String, Part> parts, Part part) {
    return stays.stream().filter(s -> parts.get(s.id()) == part).toList();
  }
}
