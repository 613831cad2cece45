package dev.mqttsidecar.samples.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What of a {@code dapr run ... -- java ...} command can be checked without daprd: the app's jar
 * and main class exist, and the resources path declares the component the app's code names, with
 * this sidecar's component type.
 */
final class DaprRunCheck {
  private DaprRunCheck() {}

  static void check(String command, Path workDir, String componentName, String componentType)
      throws IOException {
    assertThat(command).startsWith("dapr run ").contains(" -- java ");
    Path resources =
        workDir.resolve(ReadmeCommands.flag(command, "--resources-path").orElseThrow());
    assertThat(declaredComponents(resources))
        .as("components in %s", resources)
        .anySatisfy(
            yaml ->
                assertThat(yaml)
                    .containsPattern("(?m)^\\s*name: " + componentName + "\\s*$")
                    .containsPattern("(?m)^\\s*type: " + componentType + "\\s*$"));
    String app = command.substring(command.indexOf(" -- java ") + " -- java ".length());
    String[] words = app.split(" ");
    Path jar = workDir.resolve(words[1]);
    assertThat(jar).as("the app's jar (built by the README's mvn command)").isRegularFile();
    try (JarFile file = new JarFile(jar.toFile())) {
      String mainClass =
          words[0].equals("-jar")
              ? file.getManifest().getMainAttributes().getValue("Main-Class")
              : words[2];
      assertThat(mainClass).as("main class of " + app).isNotBlank();
      assertThat(file.getEntry(mainClass.replace('.', '/') + ".class"))
          .as(mainClass + " in " + jar)
          .isNotNull();
    }
  }

  private static List<String> declaredComponents(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(f -> f.toString().endsWith(".yaml"))
          .map(
              f -> {
                try {
                  return Files.readString(f);
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .toList();
    }
  }
}
