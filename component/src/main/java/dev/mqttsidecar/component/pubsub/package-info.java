/**
 * Dapr pub/sub on the embedded broker.
 *
 * <p>{@link dev.mqttsidecar.component.pubsub.PubSubComponent} serves Dapr's {@code PubSub} gRPC
 * service ({@code PubSubService}, the only place gRPC statuses are made) with one {@code
 * PubSubInstance} per Component YAML. An instance validates its metadata into {@code
 * PubSubSettings}, publishes through {@code Publisher} (Dapr to MQTT form: {@code DaprToMqtt},
 * topics: {@code TopicMapper}) and serves each PullMessages stream with a {@code PullStream}: a
 * member of the instance's consumer group (an MQTT shared subscription) that hands daprd one
 * message at a time in a form daprd can always parse ({@code MqttToDapr}), and hands failed
 * deliveries to {@code FailedDeliveries} (redelivery with backoff, dead letters, as the {@code
 * RedeliveryPolicy} decides).
 */
package dev.mqttsidecar.component.pubsub;
