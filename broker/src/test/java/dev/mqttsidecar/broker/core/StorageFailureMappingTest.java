package dev.mqttsidecar.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.persistence.StorageException;
import dev.mqttsidecar.broker.persistence.StorageOverloadedException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** How a failed durable write reaches the publisher: never as accepted. */
class StorageFailureMappingTest {

  @Test
  void anOverloadedStoreIsAQuotaTheClientMayRetry() {
    PublishResult r =
        PublishService.storageFailure(
            new CompletionException(new StorageOverloadedException("1000 writes waiting")));
    assertThat(r.status()).isEqualTo(PublishResult.Status.QUOTA_EXCEEDED);
    assertThat(r.matchedSubscribers()).isZero(); // a 3.1.1 client is not acked silently
    assertThat(r.reason()).contains("1000 writes waiting");
  }

  @Test
  void anyOtherStorageFailureIsAStorageFailure() {
    assertThat(
            PublishService.storageFailure(
                    new CompletionException(new StorageException("No space left on device")))
                .status())
        .isEqualTo(PublishResult.Status.STORAGE_FAILED);
    assertThat(PublishService.storageFailure(new IllegalStateException("closed")).status())
        .isEqualTo(PublishResult.Status.STORAGE_FAILED);
  }
}
