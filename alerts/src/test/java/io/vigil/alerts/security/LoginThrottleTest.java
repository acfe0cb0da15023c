package io.vigil.alerts.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final LoginThrottle throttle = new LoginThrottle(now::get);

  /** Attempts that are admitted and never reported a success: wrong passwords. */
  private void fail(String user, String address, int times) {
    for (int i = 0; i < times; i++) {
      assertEquals(Duration.ZERO, throttle.acquire(user, address), "attempt " + (i + 1));
    }
  }

  /** Wrong passwords, each typed once the previous wait is over. */
  private void failPatiently(String user, String address, int times) {
    for (int i = 0; i < times; i++) {
      advance(throttle.waitFor(user, address));
      fail(user, address, 1);
    }
  }

  private void advance(Duration d) {
    now.addAndGet(d.toMillis());
  }

  @Test
  void shouldAllowFourFailuresAndMakeTheFifthWaitThirtySeconds() {
    fail("ada", "10.0.0.1", 4);
    assertEquals(Duration.ZERO, throttle.waitFor("ada", "10.0.0.1"), "4 failures: no wait");
    fail("ada", "10.0.0.1", 1);
    assertEquals(Duration.ofSeconds(30), throttle.waitFor("ada", "10.0.0.1"), "5: wait 30 s");
    advance(Duration.ofSeconds(29));
    assertEquals(Duration.ofSeconds(1), throttle.waitFor("ada", "10.0.0.1"));
    advance(Duration.ofSeconds(1));
    assertEquals(Duration.ZERO, throttle.waitFor("ada", "10.0.0.1"), "after the wait: one try");
  }

  @Test
  void shouldDoubleTheWaitUpToFifteenMinutes() {
    failPatiently("ada", "10.0.0.1", 6);
    assertEquals(Duration.ofSeconds(60), throttle.waitFor("ada", "10.0.0.1"));
    failPatiently("ada", "10.0.0.1", 1);
    assertEquals(Duration.ofSeconds(120), throttle.waitFor("ada", "10.0.0.1"));
    failPatiently("ada", "10.0.0.1", 3);
    assertEquals(Duration.ofMinutes(15), throttle.waitFor("ada", "10.0.0.1"), "960 s, capped");
    failPatiently("ada", "10.0.0.1", 2);
    assertEquals(Duration.ofMinutes(15), throttle.waitFor("ada", "10.0.0.1"), "still capped");
  }

  @Test
  void shouldNotLockTheSameNurseOutOfAnotherAddressOrOtherNurses() {
    failPatiently("ada", "10.0.0.66", 10);
    assertEquals(Duration.ZERO, throttle.waitFor("ada", "10.0.0.1"), "her own workstation");
    assertEquals(Duration.ZERO, throttle.waitFor("bob", "10.0.0.66"), "another user, 10 < 20");
    assertEquals(Duration.ZERO, throttle.waitFor("ADA", "10.0.0.1"));
    assertEquals(Duration.ofMinutes(15), throttle.waitFor("Ada", "10.0.0.66"), "names ignore case");
  }

  @Test
  void shouldThrottleAnAddressSprayingManyUserNames() {
    for (int i = 0; i < 19; i++) {
      fail("user" + i, "10.0.0.66", 1);
    }
    assertEquals(Duration.ZERO, throttle.waitFor("someone", "10.0.0.66"), "19 failures");
    fail("user19", "10.0.0.66", 1);
    assertEquals(Duration.ofSeconds(30), throttle.waitFor("someone", "10.0.0.66"), "20: wait");
    assertEquals(Duration.ZERO, throttle.waitFor("someone", "10.0.0.1"), "other addresses not");
  }

  @Test
  void shouldClearOnSuccessAndForgetAfterAnHour() {
    fail("ada", "10.0.0.1", 4);
    fail("ada", "10.0.0.1", 1);
    throttle.succeeded("ada", "10.0.0.1");
    assertEquals(Duration.ZERO, throttle.waitFor("ada", "10.0.0.1"), "success clears");
    fail("bob", "10.0.0.2", 5);
    advance(Duration.ofMinutes(60));
    assertEquals(Duration.ZERO, throttle.waitFor("bob", "10.0.0.2"), "waited out");
    advance(Duration.ofMillis(1));
    fail("bob", "10.0.0.2", 1);
    assertEquals(Duration.ZERO, throttle.waitFor("bob", "10.0.0.2"), "old failures forgotten");
  }

  @Test
  void shouldNotAdmitMoreParallelGuessesThanTheAllowance() {
    // Five attempts in flight at once, none answered yet: the sixth waits.
    fail("ada", "10.0.0.66", 5);
    assertEquals(Duration.ofSeconds(30), throttle.acquire("ada", "10.0.0.66"));
  }

  @Test
  void shouldNotChargeSuccessfulSignInsToTheAddress() {
    // A ward's shared workstation: many nurses sign in from one address, all successfully.
    for (int i = 0; i < 50; i++) {
      assertEquals(Duration.ZERO, throttle.acquire("nurse" + i, "10.0.0.5"));
      throttle.succeeded("nurse" + i, "10.0.0.5");
    }
    assertEquals(Duration.ZERO, throttle.waitFor("anyone", "10.0.0.5"));
  }
}
