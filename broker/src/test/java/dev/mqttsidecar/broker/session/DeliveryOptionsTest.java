package dev.mqttsidecar.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveryOptionsTest {
  private static final Message RETAINED_QOS2 =
      Message.of("t", new byte[] {1}, Qos.EXACTLY_ONCE, true);

  private static SubscriptionOptions options(Qos qos, boolean noLocal, boolean rap, int id) {
    return new SubscriptionOptions(qos, noLocal, rap, 0, id);
  }

  @Test
  void forwardingDowngradesQosAndClearsRetainUnlessRetainAsPublished() {
    Message plain =
        DeliveryOptions.of(options(Qos.AT_LEAST_ONCE, false, false, 0)).forwarded(RETAINED_QOS2);
    Message kept =
        DeliveryOptions.of(options(Qos.AT_LEAST_ONCE, false, true, 0)).forwarded(RETAINED_QOS2);

    assertThat(plain.qos()).isEqualTo(Qos.AT_LEAST_ONCE); // [MQTT-3.8.4-8]
    assertThat(plain.retain()).isFalse(); // [MQTT-3.3.1-12]
    assertThat(kept.qos()).isEqualTo(Qos.AT_LEAST_ONCE);
    assertThat(kept.retain()).isTrue();
    assertThat(plain.payload()).containsExactly(1);
  }

  @Test
  void neverUpgradesQos() {
    Message qos0 = Message.of("t", new byte[0], Qos.AT_MOST_ONCE, false);
    Message out = DeliveryOptions.of(options(Qos.EXACTLY_ONCE, false, false, 0)).forwarded(qos0);
    assertThat(out.qos()).isEqualTo(Qos.AT_MOST_ONCE);
  }

  @Test
  void retainedOnSubscribeKeepsRetainWhateverTheOption() {
    DeliveryOptions d = DeliveryOptions.of(options(Qos.AT_MOST_ONCE, false, false, 4));
    QueuedMessage q = d.queueRetained(RETAINED_QOS2.withRetain(false));

    assertThat(q.delivered().retain()).isTrue();
    assertThat(q.delivered().qos()).isEqualTo(Qos.AT_MOST_ONCE);
    assertThat(q.published().qos()).isEqualTo(Qos.EXACTLY_ONCE);
    assertThat(q.subscriptionIds()).containsExactly(4);
  }

  @Test
  void overlappingSubscriptionsTakeTheLargestQosAndEveryIdentifier() {
    DeliveryOptions d =
        DeliveryOptions.combine(
            List.of(
                options(Qos.AT_MOST_ONCE, false, false, 3),
                options(Qos.AT_LEAST_ONCE, false, true, 0),
                options(Qos.AT_MOST_ONCE, false, false, 9)),
            false);

    assertThat(d.qos()).isEqualTo(Qos.AT_LEAST_ONCE); // [MQTT-3.3.4-2]
    assertThat(d.subscriptionIds()).containsExactly(3, 9); // [MQTT-3.3.4-4]
    QueuedMessage q = d.queueForwarded(RETAINED_QOS2);
    assertThat(q.delivered().retain()).isTrue();
    assertThat(q.delivered().qos()).isEqualTo(Qos.AT_LEAST_ONCE);
    assertThat(q.published()).isSameAs(RETAINED_QOS2);
    assertThat(q.subscriptionIds()).containsExactly(3, 9);
  }

  @Test
  void noLocalSkipsOnlyTheSubscribersOwnPublications() {
    List<SubscriptionOptions> matching =
        List.of(
            options(Qos.EXACTLY_ONCE, true, false, 1), options(Qos.AT_MOST_ONCE, false, false, 2));

    DeliveryOptions own = DeliveryOptions.combine(matching, true);
    DeliveryOptions other = DeliveryOptions.combine(matching, false);

    assertThat(own.qos()).isEqualTo(Qos.AT_MOST_ONCE); // [MQTT-3.8.3-3]
    assertThat(own.subscriptionIds()).containsExactly(2);
    assertThat(other.qos()).isEqualTo(Qos.EXACTLY_ONCE);
    assertThat(other.subscriptionIds()).containsExactly(1, 2);
  }

  @Test
  void nothingDeliversWhenEveryMatchIsNoLocalForItsOwnPublication() {
    assertThat(DeliveryOptions.combine(List.of(options(Qos.AT_LEAST_ONCE, true, false, 0)), true))
        .isNull();
  }
}
