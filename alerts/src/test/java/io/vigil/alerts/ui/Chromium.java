package io.vigil.alerts.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Debian's headless Chromium for the browser tests; they fail (never skip) without it. */
public final class Chromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /**
   * Signs {@code user} in on the service at {@code base} through the sign-in form and waits until
   * the live stream is connected.
   */
  public static void signIn(
      ChromeDriver browser, WebDriverWait wait, URI base, String user, String password) {
    browser.get(base.resolve("/").toString());
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));
    browser.findElement(By.id("username")).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.id("login-button")).click();
    wait.until(ExpectedConditions.textToBe(By.id("live"), "live"));
  }

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
