package io.jvmroute.balancer;

import io.jvmroute.balancer.routing.WorkerState;
import io.jvmroute.config.Activation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The status page as an operator sees it, in Debian's headless Chromium through chromedriver (both from
 * apt: {@code chromium chromium-driver}; .ci/run installs them): it fits a 1280×900 window without
 * horizontal scrolling, it follows a worker that dies without a reload, and its admin form works with the
 * page's CSRF token and is refused without it. The screenshot is kept as
 * {@code target/status-page-1280x900.png}.
 */
class StatusPageBrowserTest {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

    private final Fixture f = new Fixture();
    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        assertThat(new File(CHROMIUM)).as("Debian's chromium (apt-get install chromium chromium-driver)").exists();
        assertThat(new File(CHROMEDRIVER)).as("Debian's chromedriver (apt-get install chromium-driver)").exists();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM)
                .addArguments("--headless=new", "--window-size=1280,900", "--no-sandbox", "--disable-dev-shm-usage",
                        "--disable-gpu", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.quit();
        }
        f.close();
    }

    @Test
    void theStatusPageFitsALaptopFollowsAWorkerThatDiesAndItsFormNeedsTheCsrfToken() throws Exception {
        f.backends(3).start("balancer.admin.token=s3cret\nworker.jvm3.domain=dc2\n");
        usersOn("jvm1", 40);
        usersOn("jvm2", 25);
        usersOn("jvm3", 9);
        for (int i = 0; i < 30; i++) {
            f.get("/app/");
        }
        // the charts show complete 5 s slots: wait for the one holding this traffic
        await().atMost(Duration.ofSeconds(15)).until(() -> f.send(java.net.http.HttpRequest.newBuilder(
                f.adminUri("/status.json")).build()).body().matches("(?s).*\"requests\":\\[[0,]*[1-9].*"));

        browser.get(f.adminUri("/").toString());
        assertThat(viewportWidth()).as("the window's viewport").isBetween(1200L, 1280L);
        assertThat(horizontalOverflow()).as("pixels the page is wider than the 1280 px window").isLessThanOrEqualTo(0);
        assertThat(stateOf("jvm1")).isEqualTo("up");
        assertThat(browser.findElement(By.id("workers")).getText()).contains("req/s", "in 5 min", "test.properties");

        f.backend("jvm2").stop(); // killed: the page follows without a reload
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(stateOf("jvm2")).isEqualTo("down \u2014 connection refused"));
        assertThat((String) ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector(\"tr[data-worker='jvm2'] .pill\").title"))
                .as("the raw reason stays in the tooltip").isNotBlank();

        // an admin action through the page's form: the token typed in, the page's CSRF token sent along
        browser.findElement(By.name("token")).sendKeys("s3cret");
        click("jvm1", "drain");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stateOf("jvm1")).isEqualTo("draining"));
        assertThat(activation("jvm1")).isEqualTo(Activation.DISABLED);
        assertThat(horizontalOverflow()).isLessThanOrEqualTo(0);
        saveScreenshot();

        // the same form with a forged CSRF token (what another site's page would send) is refused
        browser.findElement(By.name("token")).sendKeys("s3cret");
        ((JavascriptExecutor) browser).executeScript(
                "document.querySelector('input[name=csrf]').value = '0'.repeat(48)");
        click("jvm3", "stop");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(browser.findElement(By.tagName("body")).getText()).contains("missing or stale CSRF token"));
        assertThat(activation("jvm3")).isEqualTo(Activation.ACTIVE);
    }

    /** {@code count} users with their own session on {@code route}, one request each. */
    private void usersOn(String route, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            f.get("/app/", "Cookie", "JSESSIONID=" + route.toUpperCase() + "USER" + i + "." + route);
        }
    }

    private WebElement row(String worker) {
        return browser.findElement(By.cssSelector("tr[data-worker='" + worker + "']"));
    }

    /** The state pill's text, read in one step (the page replaces its rows every 2 s). */
    private String stateOf(String worker) {
        return (String) ((JavascriptExecutor) browser).executeScript(
                "var p = document.querySelector(\"tr[data-worker='\" + arguments[0] + \"'] .pill\");"
                        + " return p ? p.textContent : null", worker);
    }

    /** Clicks a row's button as a user would; found again if the page replaced the row meanwhile. */
    private void click(String worker, String button) {
        await().atMost(Duration.ofSeconds(5)).ignoreExceptionsInstanceOf(StaleElementReferenceException.class)
                .until(() -> {
                    row(worker).findElement(By.xpath(".//button[text()='" + button + "']")).click();
                    return true;
                });
    }

    private long viewportWidth() {
        return (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
    }

    private long horizontalOverflow() {
        return (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    }

    private Activation activation(String worker) {
        return f.balancer.runtime().router().workers().stream().filter(w -> w.name().equals(worker))
                .map(WorkerState::activation).findFirst().orElseThrow();
    }

    private void saveScreenshot() throws Exception {
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(target);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target.resolve("status-page-1280x900.png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
