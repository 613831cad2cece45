package dev.mqttsidecar.bench.load;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One load run.
 *
 * @param broker where the broker listens
 * @param subscriberBroker where the subscribers connect: {@code broker}, or another broker that
 *     {@code broker} forwards to (a bridge, a dataflow)
 * @param scenario who publishes to whom
 * @param publishers publisher connections (1 for fan-out)
 * @param subscribers subscriber connections (1 for fan-in; equal to publishers for pairs)
 * @param qos QoS of publishes and subscriptions
 * @param version MQTT 3.1.1 or 5.0
 * @param payloadSize payload bytes, at least {@link Payload#HEADER_BYTES}
 * @param targetRate total offered load in messages per second over all publishers; 0 = max rate
 * @param warmup leading part of the run left out of latency and rates
 * @param duration measured part of the run
 * @param window QoS 1/2 messages a publisher may have unacknowledged
 * @param threads generator event-loop threads (0 = one per available processor)
 * @param drainTimeout how long to wait after publishing for messages still on their way
 * @param maxOutstanding messages all publishers together may have sent but not yet delivered (0 =
 *     no bound); see {@link EndToEndWindow}
 */
public record LoadSpec(
    InetSocketAddress broker,
    InetSocketAddress subscriberBroker,
    Scenario scenario,
    int publishers,
    int subscribers,
    MqttQoS qos,
    MqttVersion version,
    int payloadSize,
    double targetRate,
    Duration warmup,
    Duration duration,
    int window,
    int threads,
    Duration drainTimeout,
    int maxOutstanding) {

  public LoadSpec {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(subscriberBroker, "subscriberBroker");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(qos, "qos");
    Objects.requireNonNull(version, "version");
    if (version != MqttVersion.MQTT_3_1_1 && version != MqttVersion.MQTT_5) {
      throw new IllegalArgumentException("MQTT version must be 3.1.1 or 5");
    }
    switch (scenario) {
      case PAIRS -> subscribers = publishers;
      case FAN_IN -> subscribers = 1;
      case FAN_OUT -> publishers = 1;
    }
    if (publishers < 1 || subscribers < 1) {
      throw new IllegalArgumentException("need at least one publisher and one subscriber");
    }
    if (payloadSize < Payload.HEADER_BYTES) {
      throw new IllegalArgumentException(
          "payload must be at least " + Payload.HEADER_BYTES + " bytes");
    }
    if (targetRate < 0 || duration.isZero() || duration.isNegative() || warmup.isNegative()) {
      throw new IllegalArgumentException("rate must be >= 0, duration > 0, warm-up >= 0");
    }
    if (maxOutstanding < 0) {
      throw new IllegalArgumentException("max outstanding must be >= 0");
    }
    if (window < 1 || window > 65535) {
      throw new IllegalArgumentException("window must be in [1, 65535]");
    }
  }

  /** Whether publishers send as fast as the broker lets them. */
  public boolean maxRate() {
    return targetRate == 0;
  }

  /** "3.1.1" or "5". */
  public String versionLabel() {
    return version == MqttVersion.MQTT_5 ? "5" : "3.1.1";
  }
}
