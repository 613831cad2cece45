package dev.mqttsidecar.component.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.component.testing.SidecarProcess;
import dev.mqttsidecar.security.password.PasswordFile;
import dev.mqttsidecar.security.password.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mqtt-sidecar passwd}, run as users run it: the real program, the password on stdin. */
class PasswdCommandIT {
  @TempDir Path dir;

  private record Run(int exitCode, String output) {}

  private Run passwd(String stdin, String... args) throws Exception {
    Path input = Files.writeString(dir.resolve("stdin-" + System.nanoTime()), stdin);
    Path output = dir.resolve("out-" + System.nanoTime());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(SidecarProcess.JAR.toAbsolutePath().toString());
    command.add("passwd");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command)
            .redirectInput(input.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 60 s");
    }
    return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }

  private static boolean matches(Path file, String user, String password) throws Exception {
    PasswordHash hash = PasswordFile.parse(Files.readAllBytes(file)).hashOf(user);
    return hash != null && hash.matches(password.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void addsChangesAndDeletesUsers() throws Exception {
    Path file = dir.resolve("passwd");
    Run added = passwd("s3cret pw\n", file.toString(), "alice");
    assertThat(added.exitCode()).as(added.output()).isZero();
    assertThat(added.output()).contains("added user alice");
    assertThat(matches(file, "alice", "s3cret pw")).isTrue();
    assertThat(Files.readString(file))
        .startsWith("alice:$7$" + PasswordHash.DEFAULT_ITERATIONS + "$");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    assertThat(passwd("b\r\n", file.toString(), "bob").exitCode()).isZero(); // CRLF input
    Run changed = passwd("new one\n", file.toString(), "alice");
    assertThat(changed.exitCode()).as(changed.output()).isZero();
    assertThat(changed.output()).contains("changed the password of user alice");
    assertThat(matches(file, "alice", "new one")).isTrue();
    assertThat(matches(file, "alice", "s3cret pw")).isFalse();
    assertThat(matches(file, "bob", "b")).isTrue();

    Run deleted = passwd("", "--delete", file.toString(), "alice");
    assertThat(deleted.exitCode()).as(deleted.output()).isZero();
    assertThat(deleted.output()).contains("deleted user alice");
    assertThat(PasswordFile.parse(Files.readAllBytes(file)).hashOf("alice")).isNull();
    assertThat(matches(file, "bob", "b")).isTrue();
  }

  @Test
  void refusesWhatCannotWorkAndChangesNothing() throws Exception {
    Path file = dir.resolve("passwd");
    Run empty = passwd("\n", file.toString(), "alice");
    assertThat(empty.exitCode()).isEqualTo(1);
    assertThat(empty.output()).contains("the password is empty");
    assertThat(file).doesNotExist();

    Run badName = passwd("pw\n", file.toString(), "a:b");
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.output()).contains("USER: a user name cannot contain ':'");
    assertThat(file).doesNotExist();

    Run missingUser = passwd("", "--delete", file.toString(), "carol");
    assertThat(missingUser.exitCode()).isEqualTo(1);
    assertThat(missingUser.output()).contains("has no user carol");

    Path noFolder = dir.resolve("no/such/folder/passwd");
    Run unwritable = passwd("pw\n", noFolder.toString(), "alice");
    assertThat(unwritable.exitCode()).isEqualTo(1);
    assertThat(unwritable.output()).contains("cannot write " + noFolder + ": no such folder");
  }
}
