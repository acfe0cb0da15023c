package io.vigil.alerts.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium for the browser tests; they fail (never skip) without it. */
public final class Chromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /**
   * A fresh browser with its own profile, {@code width}×{@code height}, plus {@code extra} flags.
   */
  public static ChromeDriver start(int width, int height, String... extra) throws IOException {
    assertTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "the UI test needs Debian's chromium and chromium-driver: "
            + "apt-get install -y chromium chromium-driver");
    ChromeOptions options = new ChromeOptions();
    // Explicit binary and driver: Selenium Manager must never try to download a browser.
    options.setBinary(CHROMIUM.toFile());
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                // Cookies are encrypted with a key from the desktop keyring; without a desktop
                // session that lookup over D-Bus never answers and every request with a cookie
                // stalls.
                "--password-store=basic",
                "--user-data-dir=" + Files.createTempDirectory("chromium-profile")));
    arguments.addAll(List.of(extra));
    options.addArguments(arguments);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    ChromeDriver browser = new ChromeDriver(service, options);
    browser.manage().window().setSize(new Dimension(width, height));
    return browser;
  }
}
