package dev.mqttsidecar.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The 5.0 CONNACK properties: one shared set for most clients, a copy for the others. */
class ConnAckPropertiesTest {
  private final ConnAckProperties props =
      new ConnAckProperties(
          BrokerConfig.builder().maximumQos(1).responseInformation("replies/").build());

  private static Object value(MqttProperties p, int id) {
    MqttProperties.MqttProperty<?> property = p.getProperty(id);
    return property == null ? null : property.value();
  }

  @Test
  void clientsWithNothingParticularShareOneSet() {
    MqttProperties first = props.of(null, null, false, null);
    assertThat(props.of(null, null, false, null)).isSameAs(first);
    assertThat(value(first, MqttProperties.MAXIMUM_QOS)).isEqualTo(1);
    assertThat(value(first, MqttProperties.RECEIVE_MAXIMUM)).isEqualTo(1024);
    assertThat(value(first, MqttProperties.ASSIGNED_CLIENT_IDENTIFIER)).isNull();
  }

  @Test
  void whatIsParticularToOneClientNeverReachesTheSharedSet() {
    MqttProperties shared = props.of(null, null, false, null);
    MqttProperties own = props.of("auto-1", Duration.ofSeconds(60), true, null);
    assertThat(own).isNotSameAs(shared);
    assertThat(value(own, MqttProperties.ASSIGNED_CLIENT_IDENTIFIER)).isEqualTo("auto-1");
    assertThat(value(own, MqttProperties.SESSION_EXPIRY_INTERVAL)).isEqualTo(60);
    assertThat(value(own, MqttProperties.RESPONSE_INFORMATION)).isEqualTo("replies/");
    assertThat(value(own, MqttProperties.MAXIMUM_QOS)).isEqualTo(1);
    assertThat(value(shared, MqttProperties.ASSIGNED_CLIENT_IDENTIFIER)).isNull();
    assertThat(value(shared, MqttProperties.SESSION_EXPIRY_INTERVAL)).isNull();
    assertThat(props.of(null, null, false, null)).isSameAs(shared);
  }

  @Test
  void responseInformationOnlyWhenConfigured() {
    ConnAckProperties none = new ConnAckProperties(BrokerConfig.builder().build());
    assertThat(none.of(null, null, true, null)).isSameAs(none.of(null, null, false, null));
  }
}
