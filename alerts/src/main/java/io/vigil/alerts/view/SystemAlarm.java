package io.vigil.alerts.view;

import io.vigil.alerts.health.Supervisor;
import java.util.Set;

/**
 * A supervised loop's alarm as nurses see it: after the supervisor's failures in a row, the
 * service's own TECHNICAL alert of {@code cause} for {@code teams} (null: every nurse), cleared
 * when the loop runs again.
 */
public final class SystemAlarm implements Supervisor.Alarm {
  /** What the alert says, from the failures in a row and the last exception class. */
  @FunctionalInterface
  public interface Note {
    String of(int failures, String lastError);
  }

  private final AlertView view;
  private final String cause;
  private final Set<String> teams;
  private final Note note;

  public SystemAlarm(AlertView view, String cause, Set<String> teams, Note note) {
    this.view = view;
    this.cause = cause;
    this.teams = teams;
    this.note = note;
  }

  @Override
  public void raise(String component, int failures, String lastError) {
    view.raiseSystemAlert(component, cause, teams, note.of(failures, lastError));
  }

  @Override
  public void clear(String component) {
    view.clearSystemAlert(component);
  }
}
