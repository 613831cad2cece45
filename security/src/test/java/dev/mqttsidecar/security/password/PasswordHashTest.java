package dev.mqttsidecar.security.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Mosquitto's password hash formats: reading what mosquitto_passwd writes, writing new hashes. */
class PasswordHashTest {
  private static final byte[] SECRET = "secret".getBytes(StandardCharsets.UTF_8);

  /** Written by mosquitto_passwd 2.0.11 (Debian 12) for the password "secret". */
  private static final String MOSQUITTO_PBKDF2 =
      "$7$101$im4U9fo/4YcHD+q9$bXw9UnYrChP3ajvFzL55eY3dqrL7v0RSuqeDjnYgsF3s7ryMwtQ5lhT9b1FTGp78"
          + "/4Qv8nUSMU/B1zwLvKYx0g==";

  /** Written by mosquitto_passwd -H sha512 (2.0.11) for the password "pw2". */
  private static final String MOSQUITTO_SHA512 =
      "$6$m1gOy5EseQjvOziX$Tpy/B469akHLBowZZrsOAwpTZGuMtI8e74sLjo4tsKVm0eVltwTr3CS5znemdbi699WWZ"
          + "zLYHJkPVimCOdLKBg==";

  @Test
  void verifiesAPbkdf2HashMosquittoWrote() {
    PasswordHash hash = PasswordHash.parse(MOSQUITTO_PBKDF2);
    assertThat(hash.scheme()).isEqualTo(PasswordHash.Scheme.PBKDF2_SHA512);
    assertThat(hash.iterations()).isEqualTo(101);
    assertThat(hash.matches(SECRET)).isTrue();
    assertThat(hash.matches("Secret".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(hash.matches(new byte[0])).isFalse();
    assertThat(hash.encoded()).isEqualTo(MOSQUITTO_PBKDF2);
  }

  @Test
  void verifiesAnOldSha512HashMosquittoWrote() {
    PasswordHash hash = PasswordHash.parse(MOSQUITTO_SHA512);
    assertThat(hash.scheme()).isEqualTo(PasswordHash.Scheme.SHA512);
    assertThat(hash.matches("pw2".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(hash.matches("pw3".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(hash.encoded()).isEqualTo(MOSQUITTO_SHA512);
  }

  @Test
  void verifiesWhatTheInstalledMosquittoPasswdWrites(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/mosquitto_passwd")), "mosquitto_passwd");
    Path file = dir.resolve("passwd");
    String password = "pä$$ wörd:1"; // non-ASCII, '$', ':' and a space
    Process p =
        new ProcessBuilder(
                "/usr/bin/mosquitto_passwd", "-c", "-b", file.toString(), "alice", password)
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    String line = Files.readString(file).strip();
    assertThat(line).startsWith("alice:$7$");
    PasswordHash hash = PasswordHash.parse(line.substring("alice:".length()));
    assertThat(hash.matches(password.getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(hash.matches("pä$$ wörd:2".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void newHashesArePbkdf2InMosquittosFormatWithARandomSalt() {
    PasswordHash a = PasswordHash.create("secret".toCharArray(), 1000, new SecureRandom());
    PasswordHash b = PasswordHash.create("secret".toCharArray(), 1000, new SecureRandom());
    // 12-byte salt (16 base64 characters) and a 64-byte hash (88), as mosquitto_passwd writes.
    assertThat(a.encoded()).matches("\\$7\\$1000\\$[A-Za-z0-9+/]{16}\\$[A-Za-z0-9+/]{86}==");
    assertThat(a.encoded()).isNotEqualTo(b.encoded());
    assertThat(PasswordHash.parse(a.encoded()).matches(SECRET)).isTrue();
    assertThat(PasswordHash.parse(b.encoded()).matches(SECRET)).isTrue();
    assertThat(a.matches("secreT".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void theDefaultIterationCountIsAModernOne() {
    assertThat(PasswordHash.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(210_000);
  }

  @Test
  void passwordBytesThatAreNotUtf8MatchNothing() {
    PasswordHash hash = PasswordHash.create("\u00ff".toCharArray(), 100, new SecureRandom());
    assertThat(hash.matches("\u00ff".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(hash.matches(new byte[] {(byte) 0xff})).isFalse(); // ISO-8859-1, not UTF-8
  }

  @Test
  void anEmptyPasswordIsNeverHashed() {
    assertThatThrownBy(() -> PasswordHash.create(new char[0], 100, new SecureRandom()))
        .hasMessageContaining("empty");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "$1$abc$def",
        "$7$101$salt",
        "$7$many$aW00VTlmby80WWNI$aGFzaA==",
        "$7$0$aW00VTlmby80WWNI$aGFzaA==",
        "$7$99999999$aW00VTlmby80WWNI$aGFzaA==",
        "$7$101$not base64!$aGFzaA==",
        "$7$101$aW00VTlmby80WWNI$",
        "$6$aW00VTlmby80WWNI$aGFzaA==",
        "$6$onlyonepart"
      })
  void malformedHashesAreRefusedWithAReason(String encoded) {
    assertThatThrownBy(() -> PasswordHash.parse(encoded))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching(".*(hash|iterations|salt|base64|bytes).*");
  }
}
