package dev.mqttsidecar.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordFileTest {
  private static final String HASH =
      PasswordHash.create("pw".toCharArray(), 100, new SecureRandom()).encoded();

  private static PasswordFile parse(String text) {
    return PasswordFile.parse(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsUsersAndSkipsCommentsAndBlankLines() {
    PasswordFile file =
        parse("# devices\n\nalice:" + HASH + "\r\n  # indented comment\nbob:" + HASH + "\n\n");
    assertThat(file.size()).isEqualTo(2);
    assertThat(file.hashOf("alice").matches("pw".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(file.hashOf("bob")).isNotNull();
    assertThat(file.hashOf("carol")).isNull();
    assertThat(parse("").size()).isZero();
  }

  @Test
  void knowsItsCostliestHash() {
    String costly = PasswordHash.create("pw".toCharArray(), 300, new SecureRandom()).encoded();
    assertThat(parse("a:" + HASH + "\nb:" + costly).maxIterations()).isEqualTo(300);
    assertThat(parse("").maxIterations()).isEqualTo(1);
  }

  @Test
  void theUserNameEndsAtTheFirstColon() {
    PasswordFile file = parse("dev ice:" + HASH);
    assertThat(file.hashOf("dev ice")).isNotNull();
  }

  @Test
  void aLineWithoutUserAndHashNamesItsNumber() {
    assertThatThrownBy(() -> parse("alice:" + HASH + "\njust-a-name\n"))
        .hasMessage("line 2: expected username:hash");
    assertThatThrownBy(() -> parse(":" + HASH)).hasMessage("line 1: expected username:hash");
  }

  @Test
  void aBadHashNamesTheLineAndTheUser() {
    assertThatThrownBy(() -> parse("# c\nalice:secret\n"))
        .hasMessageStartingWith("line 2 (user alice): not a password hash");
  }

  @Test
  void aUserTwiceIsAnError() {
    assertThatThrownBy(() -> parse("alice:" + HASH + "\nalice:" + HASH))
        .hasMessage("line 2: user alice again");
  }

  @Test
  void namesThatWouldNotReadBackAreRefused() {
    assertThat(PasswordFile.usernameProblem("alice")).isNull();
    assertThat(PasswordFile.usernameProblem("dev ice/ü")).isNull();
    assertThat(PasswordFile.usernameProblem("")).contains("empty");
    assertThat(PasswordFile.usernameProblem("a:b")).contains("':'");
    assertThat(PasswordFile.usernameProblem("#x")).contains("'#'");
    assertThat(PasswordFile.usernameProblem(" x")).contains("white space");
    assertThat(PasswordFile.usernameProblem("a\nb")).contains("control");
  }
}
