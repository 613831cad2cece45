package dev.mqttsidecar.component.testing;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real sidecar program (the shaded jar {@code mvn package} builds) started as a separate
 * process, as users and daprd see it. Its output goes to a file (reading a pipe races with the JDK
 * closing it at exit, which loses the last lines) that assertions read.
 */
public final class SidecarProcess implements AutoCloseable {
  /** The runnable jar, relative to the component module (the tests' working directory). */
  public static final Path JAR = Path.of("target", "mqtt-sidecar.jar");

  private static final Pattern MQTT_LINE =
      Pattern.compile("MQTT broker listening on (\\S+):(\\d+)");
  private static final Pattern SOCKET_LINE = Pattern.compile("socket listening on (\\S+)");
  private static final Pattern HTTP_LINE =
      Pattern.compile("HTTP server listening on (\\S+):(\\d+)");

  private final Process process;
  private final Path outputFile;

  private final Path workDir;

  private SidecarProcess(Process process, Path outputFile, Path workDir) {
    this.process = process;
    this.outputFile = outputFile;
    this.workDir = workDir;
  }

  /** The heap tests give the sidecar unless they ask for another. */
  private static final String DEFAULT_HEAP = "256m";

  /** Starts {@code java -jar mqtt-sidecar.jar args...} without waiting for it to be ready. */
  public static SidecarProcess launch(List<String> args) throws IOException {
    return launch(args, java.util.Map.of());
  }

  /** As {@link #launch(List)}, with extra environment variables. */
  public static SidecarProcess launch(List<String> args, java.util.Map<String, String> env)
      throws IOException {
    return launch(DEFAULT_HEAP, args, env);
  }

  /** As {@link #launch(List, java.util.Map)}, with a maximum heap ({@code -Xmx}) such as "96m". */
  public static SidecarProcess launch(
      String maxHeap, List<String> args, java.util.Map<String, String> env) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: run the tests with `mvn verify`");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + maxHeap);
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(args);
    return launchCommand(command, env);
  }

  /** Runs any command (for example the README's launcher script) as the sidecar process. */
  public static SidecarProcess launchCommand(
      List<String> command, java.util.Map<String, String> env) throws IOException {
    Path outputFile = Files.createTempFile("sidecar-", ".log");
    outputFile.toFile().deleteOnExit();
    // A working directory of its own: the default data directory ("data") lands there, not in
    // the source tree.
    Path workDir = Files.createTempDirectory("sidecar-work-");
    command = new ArrayList<>(command);
    // Never the default HTTP port: tests run side by side.
    if (!command.contains("--http-port") && !command.contains("--no-http")) {
      command.addAll(List.of("--http-port", "0"));
    }
    if (command.get(0).contains("/")) {
      command.set(0, Path.of(command.get(0)).toAbsolutePath().toString());
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(outputFile.toFile());
    builder.environment().remove("DAPR_COMPONENTS_SOCKETS_FOLDER");
    builder.environment().remove("DAPR_COMPONENT_SOCKETS_FOLDER");
    builder.environment().putAll(env);
    return new SidecarProcess(builder.start(), outputFile, workDir);
  }

  /**
   * Starts the sidecar on {@code folder/name.sock} with a free MQTT port and waits until it serves.
   */
  public static SidecarProcess start(Path folder, String name, String... extraArgs)
      throws Exception {
    return startWithHeap(DEFAULT_HEAP, folder, name, extraArgs);
  }

  /** As {@link #start}, with a maximum heap ({@code -Xmx}) such as "96m". */
  public static SidecarProcess startWithHeap(
      String maxHeap, Path folder, String name, String... extraArgs) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--socket-folder", folder.toString(), "--name", name, "--mqtt-port", "0"));
    args.addAll(List.of(extraArgs));
    SidecarProcess sidecar = launch(maxHeap, args, java.util.Map.of());
    try {
      sidecar.awaitLine(SOCKET_LINE, Duration.ofSeconds(60));
    } catch (Exception | AssertionError e) {
      sidecar.close();
      throw e;
    }
    return sidecar;
  }

  private List<String> lines() {
    try {
      return Files.readAllLines(outputFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for an output line matching {@code pattern}; fails with the output so far. */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    while (true) {
      boolean exited = !process.isAlive();
      List<String> snapshot = lines();
      for (; seen < snapshot.size(); seen++) {
        Matcher m = pattern.matcher(snapshot.get(seen));
        if (m.find()) {
          return m;
        }
      }
      if (exited || System.nanoTime() > deadline) {
        throw new AssertionError(
            "no line matching /" + pattern + "/ within " + timeout + "; output:\n" + output());
      }
      Thread.sleep(20);
    }
  }

  /** The MQTT port the sidecar printed. */
  public int mqttPort() throws InterruptedException {
    return Integer.parseInt(awaitLine(MQTT_LINE, Duration.ofSeconds(10)).group(2));
  }

  /** The HTTP port the sidecar printed. */
  public int httpPort() throws InterruptedException {
    return Integer.parseInt(awaitLine(HTTP_LINE, Duration.ofSeconds(10)).group(2));
  }

  /** The base URL of this sidecar's HTTP server, such as {@code http://127.0.0.1:34567}. */
  public java.net.URI httpUri() throws InterruptedException {
    return java.net.URI.create("http://127.0.0.1:" + httpPort());
  }

  /** An MQTT 5 client of this sidecar's listener, not connected yet. */
  public Mqtt5BlockingClient mqtt5Client(String clientId) throws InterruptedException {
    return Mqtt5Client.builder()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(mqttPort())
        .buildBlocking();
  }

  /** Waits for exit and returns the exit code; fails if it does not exit within {@code timeout}. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("sidecar did not exit within " + timeout + "; output:\n" + output());
    }
    return process.exitValue();
  }

  /** SIGTERM, as Kubernetes and the dapr CLI stop a process. */
  public void terminate() {
    process.destroy();
  }

  /** SIGKILL: no shutdown hooks, no cleanup. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String output() {
    return String.join("\n", lines());
  }

  @Override
  public void close() throws InterruptedException, IOException {
    if (process.isAlive()) {
      kill();
    }
    Files.deleteIfExists(outputFile);
    deleteTree(workDir);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
