package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.Authentication;
import dev.mqttsidecar.broker.Authenticator;
import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.EnhancedAuthenticator;
import dev.mqttsidecar.broker.testing.Mqtt5Packets;
import dev.mqttsidecar.broker.testing.RawMqttClient;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Reads fuzzer bytes as a script for two clients of one broker core and plays it.
 *
 * <p>Byte 0 holds flags. Bits 0-1: what each new connection sends before its scripted bytes: 0
 * nothing (the script must bring its own CONNECT), 1 a 3.1.1 CONNECT with a clean session, 2 a 5.0
 * CONNECT with a clean start, 3 a 5.0 CONNECT resuming a session that lasts an hour, with a will.
 * Bit 2: both clients use one client id, so each connect takes the other's session over. Bit 3:
 * tight broker limits and an authorizer that refuses topics starting with "deny". Bit 4: enhanced
 * authentication (method "fuzz") and a password check that expires credentials after a minute.
 *
 * <p>Then steps, each led by a control byte {@code c}: below 0xF0, the next {@code (c >> 1) + 1}
 * bytes go to client {@code c & 1} (connecting it first if needed); 0xF0 and 0xF1 drop client 0 or
 * 1 without DISCONNECT; 0xF2, 0xF3 and 0xF4 let one second, one minute or two hours pass; other
 * values do nothing. Chunk boundaries are where reads end, so the same packet split differently is
 * a different script.
 */
final class ConnectionScript {
  private static final Duration[] PAUSES = {
    Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofHours(2)
  };

  private final byte[] script;
  private final int flags;
  private final EmbeddedChannel[] clients = new EmbeddedChannel[2];

  ConnectionScript(byte[] script) {
    this.script = script;
    this.flags = script.length == 0 ? 0 : script[0] & 0xFF;
  }

  /** The broker settings flags bits 3 and 4 ask for. */
  BrokerConfig.Builder config() {
    BrokerConfig.Builder b = BrokerConfig.builder();
    if ((flags & 0x08) != 0) {
      b.maxPacketSize(512)
          .maxQueuedMessages(3)
          .maxInflightOutbound(2)
          .receiveMaximum(2)
          .topicAliasMaximum(2)
          .maximumQos(1)
          .maxTopicLevels(4)
          .maxSubscriptionsPerClient(3)
          .maxSessionExpiry(Duration.ofMinutes(5))
          .serverKeepAlive(Duration.ofSeconds(30))
          .authorizer(DENY_PREFIX);
    }
    if ((flags & 0x10) != 0) {
      b.enhancedAuthenticator(CHALLENGE).authenticator(EXPIRING);
    }
    return b;
  }

  /** Plays the script; the caller closes {@code broker}, which checks what must hold at the end. */
  void play(EmbeddedConnections broker) {
    int i = 1;
    while (i < script.length) {
      int c = script[i++] & 0xFF;
      if (c < 0xF0) {
        int n = Math.min((c >> 1) + 1, script.length - i);
        broker.send(client(broker, c & 1), Arrays.copyOfRange(script, i, i + n));
        i += n;
      } else if (c <= 0xF1) {
        EmbeddedChannel ch = clients[c & 1];
        if (ch != null) {
          broker.drop(ch);
        }
      } else if (c <= 0xF4) {
        broker.advance(PAUSES[c - 0xF2]);
      }
    }
  }

  private EmbeddedChannel client(EmbeddedConnections broker, int index) {
    EmbeddedChannel ch = clients[index];
    if (ch == null || !ch.isOpen()) {
      ch = broker.open();
      clients[index] = ch;
      broker.send(ch, connect((flags & 0x04) != 0 ? "fuzz" : "fuzz-" + index));
    }
    return ch;
  }

  private byte[] connect(String clientId) {
    return switch (flags & 0x03) {
      case 1 -> RawMqttClient.connect311(clientId, true, 60);
      case 2 -> RawMqttClient.connect5(clientId, true, 60);
      case 3 -> persistentWithWill(clientId);
      default -> new byte[0];
    };
  }

  /** 5.0 CONNECT: clean start 0, session expiry 1 h, will on "will/{id}" after 5 s. */
  private static byte[] persistentWithWill(String clientId) {
    byte[] props = Mqtt5Packets.props(Mqtt5Packets.intProp(0x11, 4, 3600));
    byte[] willProps = Mqtt5Packets.props(Mqtt5Packets.intProp(0x18, 4, 5));
    return RawMqttClient.packet(
        0x10,
        RawMqttClient.concat(
            RawMqttClient.str("MQTT"),
            RawMqttClient.bytes(5, 0x04 | 0x08 | 0x20), // will, will QoS 1, will retain
            RawMqttClient.u16(60),
            props,
            RawMqttClient.str(clientId),
            willProps,
            RawMqttClient.str("will/" + clientId),
            RawMqttClient.str("gone")));
  }

  private static final Authorizer DENY_PREFIX =
      new Authorizer() {
        @Override
        public boolean mayPublish(ClientIdentity client, String topic) {
          return !topic.startsWith("deny");
        }

        @Override
        public boolean maySubscribe(ClientIdentity client, String filter) {
          return !filter.startsWith("deny");
        }
      };

  /** Accepts without a password; "ok" passes for a minute; anything else is refused. */
  private static final Authenticator EXPIRING =
      (client, password) -> {
        if (password == null) {
          return Authentication.accepted(client.username());
        }
        if (!new String(password, StandardCharsets.UTF_8).equals("ok")) {
          return Authentication.refused(Authentication.Outcome.BAD_CREDENTIALS);
        }
        // A minute after the bench's clock starts.
        return Authentication.acceptedUntil(
            client.username(), Instant.parse("2026-01-02T03:05:05Z"));
      };

  /** Method "fuzz": data "ok" succeeds, "more" asks for another round, anything else fails. */
  private static final EnhancedAuthenticator CHALLENGE =
      new EnhancedAuthenticator() {
        @Override
        public boolean supports(String method) {
          return method.equals("fuzz");
        }

        @Override
        public Exchange begin(String clientId, String method, SocketAddress remoteAddress) {
          return data -> {
            String text = data == null ? "" : new String(data, StandardCharsets.UTF_8);
            return switch (text) {
              case "ok" -> EnhancedAuthenticator.Step.success();
              case "more" -> EnhancedAuthenticator.Step.challenge(new byte[] {1});
              default -> EnhancedAuthenticator.Step.failure();
            };
          };
        }
      };
}
