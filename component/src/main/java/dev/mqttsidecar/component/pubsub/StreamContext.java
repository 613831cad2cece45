package dev.mqttsidecar.component.pubsub;

import dev.mqttsidecar.broker.MessageBus;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a {@link PullStream} needs from its component instance.
 *
 * @param broker subscriptions come from here
 * @param settings the instance's settings
 * @param topics Dapr/MQTT topic mapping
 * @param converter MQTT messages to what daprd can parse
 * @param failures redelivery and dead-lettering of deliveries daprd did not process
 * @param group the share name of the instance's consumer group
 * @param sessions broker session ids for the group's streams
 * @param executor runs the streams' serial executors
 * @param scheduler ack timeouts
 * @param clock message expiry
 * @param paused whether the instance is paused (Pause/Resume)
 * @param onClosed called once when a stream ends
 */
record StreamContext(
    MessageBus broker,
    PubSubSettings settings,
    TopicMapper topics,
    MqttToDapr converter,
    FailedDeliveries failures,
    String group,
    SessionSlots sessions,
    Executor executor,
    ScheduledExecutorService scheduler,
    Clock clock,
    BooleanSupplier paused,
    Consumer<PullStream> onClosed) {}
