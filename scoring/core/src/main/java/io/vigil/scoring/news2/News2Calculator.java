package io.vigil.scoring.news2;

import io.vigil.schemas.risk.News2Parameter;
import io.vigil.schemas.risk.News2Score;
import java.util.ArrayList;
import java.util.List;

/**
 * Aggregates the seven NEWS2 parameters into a {@link News2Score}.
 *
 * <p>NEWS2 is defined on a complete observation set. A missing parameter contributes no points, is
 * listed in {@code missing}, and makes {@code complete} false, so that a consumer never mistakes a
 * partial total for a full NEWS2. SpO2 on scale 2 needs to know whether the patient is on oxygen:
 * when that is unknown it is scored as on air (the lower score) and AIR_OR_OXYGEN is listed as
 * missing, so the total is flagged incomplete.
 */
public final class News2Calculator {
  private News2Calculator() {}

  public static News2Score score(News2Inputs in) {
    List<News2Parameter> missing = new ArrayList<>();
    Integer rr =
        in.respirationRate() == null ? null : News2Bands.respirationRate(in.respirationRate());
    Integer spo2 = null;
    if (in.spo2() != null) {
      spo2 =
          in.spo2Scale2()
              ? News2Bands.spo2Scale2(in.spo2(), Boolean.TRUE.equals(in.onOxygen()))
              : News2Bands.spo2Scale1(in.spo2());
    }
    Integer air = in.onOxygen() == null ? null : News2Bands.airOrOxygen(in.onOxygen());
    Integer sbp = in.systolicBp() == null ? null : News2Bands.systolicBp(in.systolicBp());
    Integer pulse = in.pulse() == null ? null : News2Bands.pulse(in.pulse());
    Integer acvpu =
        in.consciousness() == null ? null : News2Bands.consciousness(in.consciousness());
    Integer temp = in.temperature() == null ? null : News2Bands.temperature(in.temperature());

    int total = 0;
    boolean single3 = false;
    Integer[] scores = {rr, spo2, air, sbp, pulse, acvpu, temp};
    News2Parameter[] parameters = {
      News2Parameter.RESPIRATION_RATE,
      News2Parameter.SPO2,
      News2Parameter.AIR_OR_OXYGEN,
      News2Parameter.SYSTOLIC_BP,
      News2Parameter.PULSE,
      News2Parameter.CONSCIOUSNESS,
      News2Parameter.TEMPERATURE
    };
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] == null) {
        missing.add(parameters[i]);
      } else {
        total += scores[i];
        single3 |= scores[i] == 3;
      }
    }
    return News2Score.newBuilder()
        .setTotal(total)
        .setComplete(missing.isEmpty())
        .setMissing(missing)
        .setRespirationRate(rr)
        .setSpo2(spo2)
        .setSpo2Scale2(in.spo2Scale2())
        .setAirOrOxygen(air)
        .setSystolicBp(sbp)
        .setPulse(pulse)
        .setConsciousness(acvpu)
        .setTemperature(temp)
        .setSingleParameter3(single3)
        .build();
  }
}
