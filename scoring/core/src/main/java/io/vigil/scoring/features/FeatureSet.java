package io.vigil.scoring.features;

import java.util.List;
import java.util.Locale;

/**
 * The model input a bundle was trained on, recognised from the feature names its metadata lists.
 * Every set is computed from the same {@link PatientWindow}, live and offline alike.
 *
 * <ul>
 *   <li>{@link #HOURLY}: {@link FeatureEncoder}'s hourly means, masks and hours-since (one row per
 *       hour of the window);
 *   <li>{@link #COURSE}: {@link CourseEncoder}'s description of the patient's course (rolling
 *       statistics, baseline change, time abnormal, derived signals), no measurement timing;
 *   <li>{@link #COURSE_TIMING}: {@link #COURSE} plus the measurement-timing group.
 * </ul>
 */
public enum FeatureSet {
  HOURLY(null),
  COURSE(new CourseEncoder(false)),
  COURSE_TIMING(new CourseEncoder(true));

  private final CourseEncoder course;

  FeatureSet(CourseEncoder course) {
    this.course = course;
  }

  /** Feature names in column order. */
  public List<String> names() {
    return course == null ? FeatureEncoder.names() : course.names();
  }

  public int features() {
    return names().size();
  }

  /** Command-line name: {@code hourly}, {@code course}, {@code course-timing}. */
  public String optionName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static FeatureSet fromOption(String name) {
    for (FeatureSet set : values()) {
      if (set.optionName().equals(name)) {
        return set;
      }
    }
    throw new IllegalArgumentException(
        "unknown feature set " + name + "; known: hourly, course, course-timing");
  }

  /** The set whose names are exactly {@code names}, in order. */
  public static FeatureSet of(List<String> names) {
    for (FeatureSet set : values()) {
      if (set.names().equals(names)) {
        return set;
      }
    }
    throw new IllegalArgumentException(
        "no feature set of this version computes the features " + names);
  }

  /**
   * {@code x[step][feature]} of the last {@code steps} hours of {@code window}. The hourly set has
   * one row per hour of the window, so its {@code steps} must equal the window's hours.
   */
  public float[][] encode(PatientWindow window, int steps) {
    if (course != null) {
      return course.encode(window, steps);
    }
    if (steps != window.hours()) {
      throw new IllegalArgumentException(
          "the hourly features take the whole " + window.hours() + "-hour window, not " + steps);
    }
    return FeatureEncoder.encode(window);
  }

  /** True for columns standardised by the normaliser (not 0/1 masks). */
  public boolean isContinuous(int column) {
    return course != null || FeatureEncoder.isContinuous(column);
  }
}
