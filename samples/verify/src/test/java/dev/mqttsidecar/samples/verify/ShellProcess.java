package dev.mqttsidecar.samples.verify;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A README command run by {@code sh -c}, its output in a file; closing kills it and its children.
 */
final class ShellProcess implements AutoCloseable {
  private final String command;
  private final Process process;
  private final Path output;

  private ShellProcess(String command, Process process, Path output) {
    this.command = command;
    this.process = process;
    this.output = output;
  }

  static ShellProcess start(String command, Path workDir, Map<String, String> env, Path logDir)
      throws IOException {
    Path output = Files.createTempFile(logDir, "command", ".log");
    ProcessBuilder builder =
        new ProcessBuilder("sh", "-c", command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().putAll(env);
    return new ShellProcess(command, builder.start(), output);
  }

  /** Runs the command to its end and returns its output; fails on a non-zero exit. */
  static String run(String command, Path workDir, Map<String, String> env, Path logDir)
      throws Exception {
    try (ShellProcess shell = start(command, workDir, env, logDir)) {
      if (!shell.process.waitFor(5, TimeUnit.MINUTES)) {
        throw new AssertionError("'" + command + "' did not finish: " + shell.output());
      }
      if (shell.process.exitValue() != 0) {
        throw new AssertionError(
            "'" + command + "' exited with " + shell.process.exitValue() + ": " + shell.output());
      }
      return shell.output();
    }
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e + ")";
    }
  }

  /** Waits until the output contains the text, failing with the output if it never does. */
  ShellProcess awaitOutput(String text, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(50))
        .alias("'" + command + "' prints " + text)
        .until(() -> output().contains(text) || !process.isAlive());
    if (!output().contains(text)) {
      throw new AssertionError(
          "'" + command + "' ended without printing " + text + ": " + output());
    }
    return this;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
