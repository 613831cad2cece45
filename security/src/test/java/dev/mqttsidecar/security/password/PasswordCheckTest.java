package dev.mqttsidecar.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking passwords against a file that changes while the broker runs. */
class PasswordCheckTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static PasswordHash hash(String password) {
    return PasswordHash.create(password.toCharArray(), 100, new SecureRandom());
  }

  @Test
  void checksUserAndPassword() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", hash("secret"));
    PasswordCheck check = new PasswordCheck("authentication.passwordFile", file);
    assertThat(check.matches("alice", bytes("secret"))).isTrue();
    assertThat(check.matches("alice", bytes("Secret"))).isFalse();
    assertThat(check.matches("bob", bytes("secret"))).isFalse();
  }

  @Test
  void seesUsersAddedChangedAndDeletedWithoutARestart() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", hash("one"));
    PasswordCheck check = new PasswordCheck("authentication.passwordFile", file);
    assertThat(check.matches("bob", bytes("b"))).isFalse();

    PasswordFileEditor.setPassword(file, "bob", hash("b")); // atomic replace: a new inode
    assertThat(check.matches("bob", bytes("b"))).isTrue();

    PasswordFileEditor.setPassword(file, "alice", hash("two"));
    assertThat(check.matches("alice", bytes("two"))).isTrue();
    assertThat(check.matches("alice", bytes("one"))).isFalse();

    // An edit in place (same inode), as a text editor may save it.
    Files.writeString(file, "bob:" + hash("b2").encoded() + "\n");
    assertThat(check.matches("bob", bytes("b2"))).isTrue();
    assertThat(check.matches("alice", bytes("two"))).isFalse();
  }

  @Test
  void aPasswordOnceVerifiedStopsWorkingWhenTheFileChangesIt() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", hash("one"));
    PasswordCheck check = new PasswordCheck("authentication.passwordFile", file);
    assertThat(check.matches("alice", bytes("one"))).isTrue();
    assertThat(check.matches("alice", bytes("one"))).isTrue(); // from the verified digest
    assertThat(check.matches("alice", bytes("one!"))).isFalse();

    PasswordFileEditor.setPassword(file, "alice", hash("two"));
    assertThat(check.matches("alice", bytes("one"))).isFalse();
    assertThat(check.matches("alice", bytes("two"))).isTrue();
    PasswordFileEditor.delete(file, "alice");
    assertThat(check.matches("alice", bytes("two"))).isFalse();
  }

  @Test
  void aBrokenEditKeepsThePreviousUsersUntilFixed() throws Exception {
    Path file = dir.resolve("passwd");
    PasswordFileEditor.setPassword(file, "alice", hash("one"));
    PasswordCheck check = new PasswordCheck("authentication.passwordFile", file);

    Files.writeString(file, "alice:one-in-plain-text\n");
    assertThat(check.matches("alice", bytes("one"))).isTrue();
    assertThat(check.matches("alice", bytes("one-in-plain-text"))).isFalse();

    Files.delete(file);
    assertThat(check.matches("alice", bytes("one"))).isTrue();

    PasswordFileEditor.setPassword(file, "alice", hash("fixed"));
    assertThat(check.matches("alice", bytes("fixed"))).isTrue();
  }

  @Test
  void aMissingFileAtStartNamesTheSettingAndTheFile() {
    Path file = dir.resolve("nope");
    assertThatThrownBy(() -> new PasswordCheck("authentication.passwordFile", file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("authentication.passwordFile: " + file + ": no such file");
  }

  @Test
  void aMalformedFileAtStartNamesTheSettingTheFileAndTheLine() throws Exception {
    Path file = dir.resolve("passwd");
    Files.writeString(file, "alice:secret\n");
    assertThatThrownBy(() -> new PasswordCheck("authentication.passwordFile", file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "authentication.passwordFile: " + file + ": line 1 (user alice): not a password hash");
  }

  @Test
  void aFolderInsteadOfAFileIsRefusedAtStart() {
    assertThatThrownBy(() -> new PasswordCheck("authentication.passwordFile", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("authentication.passwordFile: " + dir + ": ");
  }
}
