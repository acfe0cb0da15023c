package io.vigil.alerts.policy;

/** Where one window's evidence stands against one alert condition. */
public enum Signal {
  /** The condition is met: raise, or keep an open alert and update it. */
  ABOVE,
  /**
   * Between the clear level and the raise level: an open alert stays, a closed one stays closed.
   */
  BAND,
  /** Below the clear level: counts towards clearing an open alert. */
  BELOW,
  /** No evidence for this condition in the window (e.g. no LSTM risk): changes nothing. */
  UNKNOWN
}
