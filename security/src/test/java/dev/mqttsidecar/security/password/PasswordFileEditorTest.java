package dev.mqttsidecar.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.security.password.PasswordFileEditor.Change;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordFileEditorTest {
  @TempDir Path dir;

  private static PasswordHash hash(String password) {
    return PasswordHash.create(password.toCharArray(), 100, new SecureRandom());
  }

  private static boolean matches(Path file, String user, String password) throws Exception {
    PasswordHash h = PasswordFile.parse(Files.readAllBytes(file)).hashOf(user);
    return h != null && h.matches(password.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void createsTheFileOwnerOnly() throws Exception {
    Path file = dir.resolve("passwd");
    assertThat(PasswordFileEditor.setPassword(file, "alice", hash("one"))).isEqualTo(Change.ADDED);
    assertThat(matches(file, "alice", "one")).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.list(dir).toList()).containsExactly(file); // no temporary file left behind
  }

  @Test
  void changesAUserInPlaceAndKeepsEverythingElse() throws Exception {
    Path file = dir.resolve("passwd");
    Files.writeString(file, "# devices\nalice:" + hash("one").encoded() + "\n\n# more\n");
    PasswordFileEditor.setPassword(file, "bob", hash("b"));
    assertThat(PasswordFileEditor.setPassword(file, "alice", hash("two")))
        .isEqualTo(Change.CHANGED);
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).isEqualTo("# devices");
    assertThat(lines.get(1)).startsWith("alice:$7$100$");
    assertThat(lines.subList(2, 4)).containsExactly("", "# more");
    assertThat(lines.get(4)).startsWith("bob:");
    assertThat(matches(file, "alice", "two")).isTrue();
    assertThat(matches(file, "alice", "one")).isFalse();
    assertThat(matches(file, "bob", "b")).isTrue();
  }

  @Test
  void deletesAUser() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", hash("a"));
    PasswordFileEditor.setPassword(file, "bob", hash("b"));
    assertThat(PasswordFileEditor.delete(file, "alice")).isEqualTo(Change.DELETED);
    assertThat(PasswordFile.parse(Files.readAllBytes(file)).hashOf("alice")).isNull();
    assertThat(matches(file, "bob", "b")).isTrue();
    assertThat(PasswordFileEditor.delete(file, "bob")).isEqualTo(Change.DELETED);
    assertThat(Files.readString(file)).isEmpty();
  }

  @Test
  void deletingAnUnknownUserWritesNothing() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", hash("a"));
    Object inode = Files.getAttribute(file, "unix:ino");
    assertThat(PasswordFileEditor.delete(file, "carol")).isEqualTo(Change.NOT_FOUND);
    assertThat(Files.getAttribute(file, "unix:ino")).isEqualTo(inode);
    assertThat(PasswordFileEditor.delete(dir.resolve("missing"), "x")).isEqualTo(Change.NOT_FOUND);
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void replacesTheFileRatherThanRewritingIt() throws Exception {
    // A reader holding the old file keeps a whole old file: the new one is a new inode.
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", hash("a"));
    Object before = Files.getAttribute(file, "unix:ino");
    PasswordFileEditor.setPassword(file, "alice", hash("b"));
    assertThat(Files.getAttribute(file, "unix:ino")).isNotEqualTo(before);
  }

  @Test
  void namesThatWouldNotReadBackAreRefusedAndNothingIsWritten() {
    Path file = dir.resolve("passwd");
    assertThatThrownBy(() -> PasswordFileEditor.setPassword(file, "a:b", hash("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("':'");
    assertThatThrownBy(() -> PasswordFileEditor.delete(file, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(file).doesNotExist();
  }

  @Test
  void theDefaultHashUsesTheDefaultIterations() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", "pw".toCharArray());
    assertThat(Files.readString(file))
        .startsWith("alice:$7$" + PasswordHash.DEFAULT_ITERATIONS + "$");
    assertThat(matches(file, "alice", "pw")).isTrue();
  }
}
