package dev.mqttsidecar.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.broker.testing.MutableClock;
import dev.mqttsidecar.security.password.PasswordFileEditor;
import dev.mqttsidecar.security.password.PasswordHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** User names and passwords, anonymous clients and failed-login limits, through the broker. */
@ExtendWith(LeakCheck.class)
class PasswordAuthenticationIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  @TempDir Path dir;
  private Path passwd;
  private final MutableClock clock = new MutableClock();

  @BeforeEach
  void passwordFile() throws Exception {
    passwd = dir.resolve("passwd");
    PasswordFileEditor.setPassword(
        passwd, "alice", PasswordHash.create("secret".toCharArray(), 1000, new SecureRandom()));
  }

  private BrokerFixture broker(boolean anonymous) throws Exception {
    ClientAuthenticator authenticator =
        new ClientAuthenticator(new AuthenticationSettings(anonymous, passwd, null), clock);
    return BrokerFixture.start(BrokerConfig.builder().authenticator(authenticator));
  }

  /** The MQTT 5 CONNACK reason code for one CONNECT (null user name: none sent). */
  private static Mqtt5ConnAckReasonCode connect5(BrokerFixture f, String user, String password) {
    Mqtt5BlockingClient c = f.mqtt5("c5-" + IDS.incrementAndGet()).buildBlocking();
    try {
      if (user == null && password == null) {
        c.connect();
      } else {
        Mqtt5SimpleAuthBuilder.Complete auth =
            password == null
                ? com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth.builder().username(user)
                : user == null
                    ? com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth.builder()
                        .password(password.getBytes(StandardCharsets.UTF_8))
                    : com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth.builder()
                        .username(user)
                        .password(password.getBytes(StandardCharsets.UTF_8));
        c.connectWith().simpleAuth(auth.build()).send();
      }
      c.disconnect();
      return Mqtt5ConnAckReasonCode.SUCCESS;
    } catch (Mqtt5ConnAckException e) {
      return e.getMqttMessage().getReasonCode();
    }
  }

  /** The MQTT 3.1.1 CONNACK return code for one CONNECT. */
  private static Mqtt3ConnAckReturnCode connect3(BrokerFixture f, String user, String password) {
    Mqtt3BlockingClient c = f.mqtt3("c3-" + IDS.incrementAndGet()).buildBlocking();
    try {
      Mqtt3ConnectBuilder.Send<?> connect = c.connectWith();
      if (user != null) {
        var auth =
            com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth.builder().username(user);
        connect.simpleAuth(
            password == null
                ? auth.build()
                : auth.password(password.getBytes(StandardCharsets.UTF_8)).build());
      }
      connect.send();
      c.disconnect();
      return Mqtt3ConnAckReturnCode.SUCCESS;
    } catch (Mqtt3ConnAckException e) {
      return e.getMqttMessage().getReturnCode();
    }
  }

  @Test
  void theRightPasswordConnectsAndAWrongOneIsBadUserNameOrPassword() throws Exception {
    try (BrokerFixture f = broker(false)) {
      assertThat(connect5(f, "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      assertThat(connect3(f, "alice", "secret")).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
      assertThat(connect5(f, "alice", "wrong"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD); // 0x86
      assertThat(connect3(f, "mallory", "secret"))
          .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD); // 0x04
    }
  }

  @Test
  void anonymousOffRefusesClientsWithoutCredentialsAsNotAuthorized() throws Exception {
    try (BrokerFixture f = broker(false)) {
      assertThat(connect5(f, null, null)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED); // 0x87
      assertThat(connect3(f, null, null)).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED); // 0x05
    }
  }

  @Test
  void anonymousOnAcceptsClientsWithoutCredentialsButNeverWrongOnes() throws Exception {
    try (BrokerFixture f = broker(true)) {
      assertThat(connect5(f, null, null)).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      assertThat(connect3(f, null, null)).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
      assertThat(connect5(f, "alice", "wrong"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(connect3(f, "alice", "wrong"))
          .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(connect5(f, "alice", null))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      assertThat(connect5(f, null, "secret"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }
  }

  @Test
  void aUserAddedWhileRunningConnectsWithoutARestart() throws Exception {
    try (BrokerFixture f = broker(false)) {
      assertThat(connect5(f, "bob", "pw-b"))
          .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      PasswordFileEditor.setPassword(
          passwd, "bob", PasswordHash.create("pw-b".toCharArray(), 1000, new SecureRandom()));
      assertThat(connect5(f, "bob", "pw-b")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
      PasswordFileEditor.delete(passwd, "bob");
      assertThat(connect3(f, "bob", "pw-b"))
          .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD);
    }
  }

  @Test
  void repeatedFailuresAreRateLimitedOnBothVersionsUntilTheBackOffEnds() throws Exception {
    try (BrokerFixture f = broker(false)) {
      for (int i = 0; i < 5; i++) {
        assertThat(connect5(f, "alice", "guess-" + i))
            .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
      }
      // Even the right password: the address is refused before anything is checked.
      assertThat(connect5(f, "alice", "secret"))
          .isEqualTo(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED); // 0x9F
      assertThat(connect3(f, "alice", "secret"))
          .isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE); // 0x03

      clock.advance(Duration.ofSeconds(5));
      assertThat(connect3(f, "alice", "secret")).isEqualTo(Mqtt3ConnAckReturnCode.SUCCESS);
      assertThat(connect5(f, "alice", "secret")).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }
  }
}
