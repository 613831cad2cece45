package dev.mqttsidecar.component.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.component.packaging.DockerfileModel.Stage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, checked as far as a machine without a Docker engine can: it builds the jar itself
 * with the same Maven command as bin/mqtt-sidecar, runs it as a fixed non-root user, checks its
 * health over the HTTP port, and copies only files that exist and reach the build context.
 */
class DockerfileTest {
  static final Path ROOT = Path.of("..");
  private static final Path DOCKERFILE = ROOT.resolve("Dockerfile");

  private final DockerfileModel dockerfile = DockerfileModel.read(DOCKERFILE);

  DockerfileTest() throws Exception {}

  /** The uid the image runs as: what the Kubernetes manifests must name. */
  static String imageUser() throws Exception {
    return DockerfileModel.read(DOCKERFILE).last().last("USER");
  }

  @Test
  void aMavenStageBuildsTheJarAndAJreStageRunsIt() throws Exception {
    assertThat(dockerfile.stages()).hasSize(2);
    Stage build = dockerfile.stages().get(0);
    assertThat(build.name()).isEqualTo("build");
    assertThat(build.image()).startsWith("maven:").contains("temurin-17");
    assertThat(dockerfile.last().image()).isEqualTo("eclipse-temurin:17-jre");

    String run = String.join("\n", build.all("RUN"));
    assertThat(run).contains("mvn -B -DskipTests -pl component -am package");
    // The same build as the launcher's (flags for quiet output and the pom's path aside).
    String launcher = Files.readString(ROOT.resolve("bin/mqtt-sidecar"));
    assertThat(mavenGoals(run)).isEqualTo(mavenGoals(launcher));

    // The shaded jar is where the build stage leaves it.
    assertThat(Files.readString(ROOT.resolve("component/pom.xml")))
        .contains("<finalName>mqtt-sidecar</finalName>");
    assertThat(build.last("WORKDIR")).isEqualTo("/src");
    assertThat(dockerfile.last().all("COPY"))
        .contains(
            "--from=build /src/component/target/mqtt-sidecar.jar /opt/mqtt-sidecar/mqtt-sidecar.jar");
  }

  @Test
  void theImageRunsAsAFixedUserThatIsNotRoot() throws Exception {
    String user = imageUser();
    assertThat(user).matches("\\d+:\\d+"); // numeric, so runAsNonRoot can verify it
    String[] ids = user.split(":");
    assertThat(Integer.parseInt(ids[0])).isPositive();
    assertThat(Integer.parseInt(ids[1])).isPositive();
    String setup = String.join("\n", dockerfile.last().all("RUN"));
    assertThat(setup)
        .contains("--uid " + ids[0], "--gid " + ids[1])
        // the data directory and the sockets folder belong to that user
        .contains("-o " + ids[0] + " -g " + ids[1] + " -m 0700 /var/lib/mqtt-sidecar")
        .contains("-o " + ids[0] + " -g " + ids[1] + " -m 0750 /tmp/dapr-components-sockets");
    assertThat(dockerfile.last().last("WORKDIR")).isEqualTo("/var/lib/mqtt-sidecar");
  }

  @Test
  void theHealthCheckAsksHealthzOnTheHttpPortTheImageExposes() throws Exception {
    String healthcheck = dockerfile.last().last("HEALTHCHECK");
    assertThat(healthcheck).contains("CMD [\"/opt/mqtt-sidecar/bin/http-probe\", \"/healthz\"]");
    assertThat(dockerfile.last().all("COPY"))
        .contains("bin/http-probe /opt/mqtt-sidecar/bin/http-probe");
    assertThat(Files.isExecutable(ROOT.resolve("bin/http-probe"))).isTrue();

    Set<String> exposed = new TreeSet<>();
    dockerfile.last().all("EXPOSE").forEach(e -> exposed.addAll(Arrays.asList(e.split("\\s+"))));
    assertThat(exposed).containsExactlyInAnyOrder("1883", HttpProbeScriptTest.defaultPort());
  }

  @Test
  void labelsFollowTheOpenContainersAnnotations() {
    String labels = String.join(" ", dockerfile.last().all("LABEL"));
    assertThat(labels)
        .contains(
            "org.opencontainers.image.title=",
            "org.opencontainers.image.description=",
            "org.opencontainers.image.version=");
  }

  @Test
  void theBuildStageHasThePomOfEveryModuleTheRootPomLists() throws Exception {
    Matcher modules =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    String copies = String.join("\n", dockerfile.stages().get(0).all("COPY"));
    while (modules.find()) {
      String module = modules.group(1);
      assertThat(copies)
          .as("Maven needs %s/pom.xml to build with -pl component -am", module)
          .containsPattern(
              "(?m)^(" + Pattern.quote(module) + "|" + Pattern.quote(module + "/pom.xml") + ") ");
    }
  }

  @Test
  void everyCopiedFileExistsAndIsNotIgnoredByTheBuildContext() throws Exception {
    List<String> ignored =
        Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
            .map(String::strip)
            .filter(line -> !line.isEmpty() && !line.startsWith("#"))
            .toList();
    List<String> sources = new ArrayList<>();
    for (Stage stage : dockerfile.stages()) {
      for (String copy : stage.all("COPY")) {
        if (!copy.startsWith("--from=")) {
          String[] parts = copy.split("\\s+");
          sources.addAll(Arrays.asList(parts).subList(0, parts.length - 1));
        }
      }
    }
    assertThat(sources).contains("pom.xml", "component", "config/jvm.options");
    for (String source : sources) {
      assertThat(ROOT.resolve(source)).as("COPY %s", source).exists();
      for (String pattern : ignored) {
        assertThat(ignores(pattern, source)).as("%s ignores %s", pattern, source).isFalse();
      }
    }
  }

  @Test
  void theReadmeBuildsTheImageAsTheDockerfileSays() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String header = Files.readString(DOCKERFILE);
    String command = "docker build -t mqtt-sidecar:0.1.0 .";
    assertThat(header).contains(command);
    assertThat(readme).contains(command);
  }

  /** A .dockerignore pattern of the simple forms the file uses: a path, or any depth with "**". */
  private static boolean ignores(String pattern, String source) {
    String p = pattern.replaceFirst("^/", "").replaceFirst("/$", "");
    if (p.startsWith("**/")) {
      return Arrays.asList(source.split("/")).contains(p.substring(3));
    }
    return source.equals(p) || source.startsWith(p + "/");
  }

  /** The module selection and phase of a Maven command line, without output or file flags. */
  private static Set<String> mavenGoals(String text) {
    Matcher m = Pattern.compile("mvn ([^\\n&>]*)").matcher(text);
    assertThat(m.find()).as("a mvn command in %s", text).isTrue();
    Set<String> tokens = new TreeSet<>(Arrays.asList(m.group(1).strip().split("\\s+")));
    tokens.removeAll(Set.of("-B", "-q"));
    tokens.removeIf(t -> t.equals("-f") || t.contains("pom.xml"));
    return tokens;
  }
}
