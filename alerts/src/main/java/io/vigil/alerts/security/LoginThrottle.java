package io.vigil.alerts.security;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing at the sign-in form. Failed sign-ins are counted per user name from
 * one address, and per address over all user names (password spraying). Past a free allowance each
 * further attempt must wait, doubling from 30 s up to 15 min; a successful sign-in clears the
 * user's count. A throttled attempt is answered without checking the password, so a flood of
 * guesses cannot spend the CPU on PBKDF2 either. An admitted attempt counts as a failure until it
 * is reported a success, so guesses sent in parallel cannot all slip through before the first
 * failure is known.
 *
 * <p>Counting per (user, address) rather than per user alone means a stranger cannot lock a nurse
 * out of her own workstation by typing her name elsewhere. Behind a reverse proxy every request
 * comes from the proxy's address; the per-address allowance then covers the whole site.
 */
@Singleton
public final class LoginThrottle {
  static final int FREE_PER_USER = 5;
  static final int FREE_PER_ADDRESS = 20;
  static final Duration FIRST_WAIT = Duration.ofSeconds(30);
  static final Duration MAX_WAIT = Duration.ofMinutes(15);

  /** Counts untouched for this long are forgotten. */
  static final Duration FORGET_AFTER = Duration.ofHours(1);

  private static final int MAX_TRACKED = 10_000;

  private final LongSupplier clock;

  /** Access-ordered, so the least recently failed key is the first to go when full. */
  private final Map<String, Count> counts = new LinkedHashMap<>(64, 0.75f, true);

  public LoginThrottle() {
    this(System::currentTimeMillis);
  }

  LoginThrottle(LongSupplier clock) {
    this.clock = clock;
  }

  /** How long a sign-in as {@code user} from {@code address} must still wait; zero if allowed. */
  public synchronized Duration waitFor(String user, String address) {
    long now = clock.getAsLong();
    long until =
        Math.max(
            until(userKey(user, address), FREE_PER_USER, now),
            until(addressKey(address), FREE_PER_ADDRESS, now));
    return until <= now ? Duration.ZERO : Duration.ofMillis(until - now);
  }

  /**
   * Admits a sign-in attempt, counted as a failure until {@link #succeeded} says otherwise; or,
   * when the user name or the address must still wait, admits nothing and returns the wait.
   */
  public synchronized Duration acquire(String user, String address) {
    Duration wait = waitFor(user, address);
    if (!wait.isZero()) {
      return wait;
    }
    long now = clock.getAsLong();
    forgetOld(now);
    bump(userKey(user, address), now);
    bump(addressKey(address), now);
    return Duration.ZERO;
  }

  /** The admitted attempt succeeded: the user's count is cleared and the address's not charged. */
  public synchronized void succeeded(String user, String address) {
    counts.remove(userKey(user, address));
    Count c = counts.get(addressKey(address));
    if (c != null && --c.failures <= 0) {
      counts.remove(addressKey(address));
    }
  }

  private long until(String key, int free, long now) {
    Count c = counts.get(key);
    if (c == null || c.failures < free || now - c.last > FORGET_AFTER.toMillis()) {
      return 0;
    }
    int over = Math.min(c.failures - free, 20);
    long wait = Math.min(MAX_WAIT.toMillis(), FIRST_WAIT.toMillis() << over);
    return c.last + wait;
  }

  private void bump(String key, long now) {
    Count c = counts.computeIfAbsent(key, k -> new Count());
    c.failures++;
    c.last = now;
    if (counts.size() > MAX_TRACKED) {
      Iterator<String> oldest = counts.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private void forgetOld(long now) {
    counts.values().removeIf(c -> now - c.last > FORGET_AFTER.toMillis());
  }

  private static String userKey(String user, String address) {
    return "user:" + user.toLowerCase(Locale.ROOT) + "@" + address;
  }

  private static String addressKey(String address) {
    return "address:" + address;
  }

  private static final class Count {
    int failures;
    long last;
  }
}
