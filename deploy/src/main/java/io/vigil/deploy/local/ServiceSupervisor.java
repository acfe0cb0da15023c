package io.vigil.deploy.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps {@code ./vigil up}'s services running. Each service is started and waited for in turn; when
 * one dies (killed, crashed, or never became ready) the supervisor prints which and why (exit
 * status, the signal that killed it, its last error line) and starts it again after a backoff. If
 * one keeps dying ({@link RestartPolicy}), it says so and gives up: the caller stops everything,
 * rather than leave a pipeline that looks up while a part of it is gone.
 */
final class ServiceSupervisor {
  /** Thrown when a service keeps dying. */
  static final class GaveUp extends Exception {
    GaveUp(String message) {
      super(message);
    }
  }

  private static final class Slot {
    final ServiceSpec spec;
    final Deque<Instant> restarts = new ArrayDeque<>();
    volatile ServiceProcess process;

    Slot(ServiceSpec spec) {
      this.spec = spec;
    }
  }

  private static final Duration CHECK_EVERY = Duration.ofMillis(500);

  private final Path home;
  private final String bootstrapServers;
  private final RestartPolicy policy;
  private final PrintStream out;
  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  private volatile boolean stopping;

  ServiceSupervisor(Path home, String bootstrapServers, RestartPolicy policy, PrintStream out) {
    this.home = home;
    this.bootstrapServers = bootstrapServers;
    this.policy = policy;
    this.out = out;
  }

  /** Starts {@code spec} and waits until it is ready, restarting it as the policy allows. */
  void start(ServiceSpec spec) throws GaveUp, InterruptedException {
    Slot slot = new Slot(spec);
    slots.add(slot);
    launch(slot);
  }

  /**
   * Watches every started service until {@link #stopAll()} is called, restarting those that die.
   */
  void watch() throws GaveUp, InterruptedException {
    while (!stopping) {
      for (Slot slot : slots) {
        ServiceProcess p = slot.process;
        if (!stopping && p != null && !p.alive()) {
          String why = p.exitReason();
          restartOrGiveUp(slot, "died (" + why + ")");
          launch(slot);
        }
      }
      Thread.sleep(CHECK_EVERY.toMillis());
    }
  }

  private void launch(Slot slot) throws GaveUp, InterruptedException {
    while (!stopping) {
      ServiceProcess p;
      try {
        p = ServiceProcess.start(slot.spec, home, bootstrapServers);
      } catch (IOException e) {
        restartOrGiveUp(slot, "could not be started (" + e.getMessage() + ")");
        continue;
      }
      slot.process = p;
      try {
        p.awaitReady();
        if (stopping) {
          p.stop();
          return;
        }
        out.println("vigil: " + slot.spec.name() + " ready on " + slot.spec.url());
        return;
      } catch (IOException e) {
        String why = p.alive() ? e.getMessage() : p.exitReason();
        p.kill();
        restartOrGiveUp(slot, "did not become ready (" + why + ")");
      }
    }
  }

  private void restartOrGiveUp(Slot slot, String what) throws GaveUp, InterruptedException {
    String name = slot.spec.name();
    if (!policy.allow(slot.restarts, Instant.now())) {
      throw new GaveUp(
          name
              + " "
              + what
              + " and keeps dying (limit of "
              + policy.maxRestarts()
              + " restarts within "
              + policy.window().toMinutes()
              + " min reached)");
    }
    int n = slot.restarts.size();
    Duration wait = policy.backoff(n);
    out.println(
        "vigil: "
            + name
            + " "
            + what
            + "; restarting in "
            + wait.toMillis() / 1000.0
            + " s (restart "
            + n
            + " of at most "
            + policy.maxRestarts()
            + " within "
            + policy.window().toMinutes()
            + " min)");
    Thread.sleep(wait.toMillis());
  }

  /** Stops every service, last started first; no restart happens after this is called. */
  void stopAll() {
    stopping = true;
    for (int i = slots.size() - 1; i >= 0; i--) {
      ServiceProcess p = slots.get(i).process;
      if (p != null) {
        p.stop();
      }
    }
  }
}
