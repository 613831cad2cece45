package dev.mqttsidecar.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.RetainedMessage;
import dev.mqttsidecar.broker.RetainedWrite;
import dev.mqttsidecar.broker.RetainedWriteResult;
import dev.mqttsidecar.broker.persistence.MemoryStorage;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.server.EmbeddedBroker;
import dev.mqttsidecar.broker.testing.SwitchableRetainedPersistence;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A retained write the store refuses (a full disk) is taken back: readers keep seeing the last
 * stored value and its version, so a write that was never acknowledged is never served either.
 */
@Timeout(30)
class RetainedRollbackTest {
  private final SwitchableRetainedPersistence store = new SwitchableRetainedPersistence();
  private EmbeddedBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker =
        new EmbeddedBroker(
            BrokerConfig.builder().port(0).build(),
            new MemoryStorage(store, QueuePersistence.NONE));
    broker.start();
  }

  @AfterEach
  void stop() {
    broker.stop();
  }

  private static Message value(String text) {
    return Message.of("k", text.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true);
  }

  private RetainedWriteResult write(RetainedWrite w) {
    return broker.retained().write(List.of(w)).join();
  }

  @Test
  void failedWritesLeaveTheStoredValue() {
    RetainedWriteResult first = write(RetainedWrite.set(value("v1"), RetainedWrite.ANY_VERSION));
    assertThat(first.status()).isEqualTo(RetainedWriteResult.Status.APPLIED);
    RetainedMessage stored = broker.retained().get("k").orElseThrow();

    store.fail(true);
    assertThat(write(RetainedWrite.set(value("v2"), RetainedWrite.ANY_VERSION)).status())
        .isEqualTo(RetainedWriteResult.Status.STORAGE_FAILED);
    assertThat(broker.retained().get("k")).contains(stored);
    assertThat(write(RetainedWrite.delete("k", RetainedWrite.ANY_VERSION)).status())
        .isEqualTo(RetainedWriteResult.Status.STORAGE_FAILED);
    assertThat(broker.retained().list("")).containsExactly(stored);
    PublishResult published = broker.publish(value("v3")).join();
    assertThat(published.status()).isEqualTo(PublishResult.Status.STORAGE_FAILED);
    assertThat(broker.retained().get("k")).contains(stored);

    store.fail(false);
    // The version check sees the stored version again, not one of the refused writes.
    assertThat(write(RetainedWrite.set(value("v4"), stored.version())).status())
        .isEqualTo(RetainedWriteResult.Status.APPLIED);
    assertThat(broker.retained().get("k").orElseThrow().message().payload())
        .isEqualTo("v4".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void anOverloadedStoreIsReportedAsBusyNotAsAFailure() {
    store.overload();
    assertThat(write(RetainedWrite.set(value("v1"), RetainedWrite.ANY_VERSION)).status())
        .isEqualTo(RetainedWriteResult.Status.STORAGE_BUSY);
    assertThat(broker.retained().get("k")).isEmpty();
  }
}
