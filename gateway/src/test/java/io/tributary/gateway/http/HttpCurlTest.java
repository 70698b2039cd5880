package io.tributary.gateway.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs src/test/sh/http-curl-test.sh against a live gateway; skipped only where curl is not installed. */
class HttpCurlTest {

    @Test
    void theCurlScriptPasses(@TempDir Path dataDir) throws Exception {
        assumeTrue(curlInstalled(), "curl is not installed");
        try (HttpTestBroker gw = HttpTestBroker.start(dataDir)) {
            Process script = new ProcessBuilder("bash", "src/test/sh/http-curl-test.sh", gw.url(""))
                    .redirectErrorStream(true).start();
            boolean finished = script.waitFor(120, TimeUnit.SECONDS);
            String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!finished) {
                script.destroyForcibly();
            }
            assertThat(finished).as("script finished: %s", output).isTrue();
            assertThat(script.exitValue()).as(output).isZero();
            assertThat(output).contains("curl test passed");
        }
    }

    private static boolean curlInstalled() {
        try {
            return new ProcessBuilder("curl", "--version").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
