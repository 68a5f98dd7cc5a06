package io.imaginggateway.testsupport;

import io.imaginggateway.GatewayApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as its own process (the test's class path, the tokens of {@link TestTokens}), for what only a process
 * shows: being killed, and everything it writes to its log.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final List<String> log;

    private GatewayProcess(Process process, List<String> log) {
        this.process = process;
        this.log = log;
    }

    /** Starts it with these command-line arguments; returns once it logged that it is ready. */
    public static GatewayProcess start(Path dataDir, List<String> arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName(), "--gateway.data-dir=" + dataDir));
        command.addAll(arguments);
        command.addAll(TestTokens.arguments());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            // reads the log to its end, so that the process never blocks on a full pipe
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.add(line);
                    if (line.contains("Gateway ready in")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException("the gateway process ended before it was ready; its"
                    + " last lines:\n" + String.join("\n", log.subList(Math.max(0, log.size() - 30), log.size()))));
        });
        reader.setDaemon(true);
        reader.start();
        ready.get(120, TimeUnit.SECONDS);
        return new GatewayProcess(process, log);
    }

    /** Every line it wrote so far. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** SIGKILL, at once. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a graceful stop. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
