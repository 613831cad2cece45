package dev.mqttsidecar.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import dev.mqttsidecar.security.AuthenticationSettings.JwtSettings;
import dev.mqttsidecar.security.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** JSON Web Tokens in the CONNECT password, through the broker with real clients. */
@ExtendWith(LeakCheck.class)
class TokenAuthenticationIT {
  private static final String ISSUER = "https://kubernetes.default.svc.cluster.local";
  private static final String AUDIENCE = "mqtt-sidecar";
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static RSAKey rsa;
  private static ECKey ec;

  @TempDir Path dir;
  private JwtSettings jwt;

  /** The user name each publish was authorized as. */
  private final List<String> publishedAs = new CopyOnWriteArrayList<>();

  private final Authorizer recording =
      new Authorizer() {
        @Override
        public boolean mayPublish(ClientIdentity client, String topic) {
          publishedAs.add(client.username());
          return true;
        }

        @Override
        public boolean maySubscribe(ClientIdentity client, String filter) {
          return true;
        }
      };

  @BeforeAll
  static void keys() {
    rsa = Tokens.rsaKey("sa-key-1");
    ec = Tokens.ecKey("ec-key-1");
  }

  @BeforeEach
  void keySet() throws Exception {
    jwt = new JwtSettings(Tokens.writeJwks(dir.resolve("jwks.json"), rsa, ec), ISSUER, AUDIENCE);
  }

  private BrokerFixture broker() throws Exception {
    ClientAuthenticator authenticator =
        new ClientAuthenticator(new AuthenticationSettings(false, null, jwt), Clock.systemUTC());
    return BrokerFixture.start(
        BrokerConfig.builder().authenticator(authenticator).authorizer(recording));
  }

  private static String serviceAccountToken(RSAKey key, Instant exp) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return Tokens.sign(
        key,
        Tokens.serviceAccount(ISSUER, AUDIENCE, "factory", "line-controller", now, exp).build());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aServiceAccountTokenConnectsAndActsUnderItsSubject() throws Exception {
    try (BrokerFixture f = broker()) {
      String token = serviceAccountToken(rsa, Instant.now().plus(Duration.ofMinutes(10)));
      Mqtt5BlockingClient c5 = f.mqtt5("sa5").buildBlocking();
      // The user name claims to be someone else: the token's subject is what counts.
      c5.connectWith()
          .simpleAuth()
          .username("admin")
          .password(bytes(token))
          .applySimpleAuth()
          .send();
      f.track(c5);
      c5.publishWith().topic("t/5").qos(MqttQos.AT_LEAST_ONCE).send();

      Mqtt3BlockingClient c3 = f.mqtt3("sa3").buildBlocking();
      c3.connectWith()
          .simpleAuth()
          .username("ignored")
          .password(bytes(token))
          .applySimpleAuth()
          .send();
      f.track(c3);
      c3.publishWith().topic("t/3").qos(MqttQos.AT_LEAST_ONCE).send();

      assertThat(publishedAs)
          .containsExactly(
              "system:serviceaccount:factory:line-controller",
              "system:serviceaccount:factory:line-controller");
    }
  }

  @Test
  void anEs256TokenWithoutUserNameConnectsOnMqtt5() throws Exception {
    try (BrokerFixture f = broker()) {
      String token =
          Tokens.sign(
              ec,
              Tokens.claims("sensor-9", Instant.now().plus(Duration.ofMinutes(5)))
                  .issuer(ISSUER)
                  .audience(AUDIENCE)
                  .build());
      Mqtt5BlockingClient c = f.mqtt5("es").buildBlocking();
      c.connectWith().simpleAuth().password(bytes(token)).applySimpleAuth().send();
      f.track(c);
      c.publishWith().topic("t").qos(MqttQos.AT_LEAST_ONCE).send();
      assertThat(publishedAs).containsExactly("sensor-9");
    }
  }

  @Test
  void badTokensAreBadUserNameOrPasswordOnBothVersions() throws Exception {
    try (BrokerFixture f = broker()) {
      String expired = serviceAccountToken(rsa, Instant.now().minusSeconds(5));
      String foreign =
          serviceAccountToken(Tokens.rsaKey("sa-key-1"), Instant.now().plusSeconds(600));
      for (String token : List.of(expired, foreign)) {
        Mqtt5BlockingClient c5 = f.mqtt5("bad5").buildBlocking();
        assertThatThrownBy(
                () -> c5.connectWith().simpleAuth().password(bytes(token)).applySimpleAuth().send())
            .isInstanceOfSatisfying(
                Mqtt5ConnAckException.class,
                e ->
                    assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
        Mqtt3BlockingClient c3 = f.mqtt3("bad3").buildBlocking();
        assertThatThrownBy(
                () ->
                    c3.connectWith()
                        .simpleAuth()
                        .username("x")
                        .password(bytes(token))
                        .applySimpleAuth()
                        .send())
            .isInstanceOfSatisfying(
                Mqtt3ConnAckException.class,
                e ->
                    assertThat(e.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD));
      }
    }
  }

  @Test
  void anMqtt5ClientIsDisconnectedWithMaximumConnectTimeWhenItsTokenExpires() throws Exception {
    try (BrokerFixture f = broker()) {
      Instant exp = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
      List<Mqtt5DisconnectReasonCode> seen = new ArrayList<>();
      Mqtt5BlockingClient c = f.mqtt5RecordingDisconnects("expiring5", seen).buildBlocking();
      c.connectWith()
          .simpleAuth()
          .password(bytes(serviceAccountToken(rsa, exp)))
          .applySimpleAuth()
          .send();
      assertThat(c.getState().isConnected()).isTrue();
      Awaitility.await("DISCONNECT 0xA0")
          .atMost(WAIT)
          .until(
              () -> {
                synchronized (seen) {
                  return seen.contains(Mqtt5DisconnectReasonCode.MAXIMUM_CONNECT_TIME);
                }
              });
      assertThat(Instant.now()).isAfterOrEqualTo(exp);
      assertThat(c.getState().isConnected()).isFalse();
    }
  }

  @Test
  void anMqtt311ClientIsClosedWhenItsTokenExpires() throws Exception {
    try (BrokerFixture f = broker()) {
      Instant exp = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(3);
      Mqtt3BlockingClient c = f.mqtt3("expiring3").buildBlocking();
      c.connectWith()
          .simpleAuth()
          .username("device")
          .password(bytes(serviceAccountToken(rsa, exp)))
          .applySimpleAuth()
          .send();
      assertThat(c.getState().isConnected()).isTrue();
      Awaitility.await("closed").atMost(WAIT).until(() -> !c.getState().isConnected());
      assertThat(Instant.now()).isAfterOrEqualTo(exp);
    }
  }
}
