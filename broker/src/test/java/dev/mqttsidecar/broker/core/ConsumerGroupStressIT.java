package dev.mqttsidecar.broker.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.Delivery;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.Qos;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.testing.BrokerFixture;
import dev.mqttsidecar.broker.testing.LeakCheck;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A consumer group under churn: members settle from other threads, nack some deliveries, and one
 * member leaves mid-stream while another joins. Every message is acknowledged, and members that
 * stay never acknowledge the same message twice (only the member that left may have acknowledged,
 * too late, what was already handed to another member: at-least-once).
 */
@ExtendWith(LeakCheck.class)
class ConsumerGroupStressIT {
  private static final int MESSAGES = 2000;

  /** Settles on a pool: acks 80 %, nacks 20 %; records its acks. */
  private static final class Member implements Subscriber {
    final ExecutorService pool;
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final AtomicInteger duplicateAcks = new AtomicInteger();

    Member(ExecutorService pool) {
      this.pool = pool;
    }

    @Override
    public void onMessage(Delivery d) {
      String id = new String(d.message().payload(), UTF_8);
      pool.execute(
          () -> {
            if (ThreadLocalRandom.current().nextInt(10) < 2) {
              d.nack(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3)));
            } else {
              if (!acked.add(id)) {
                duplicateAcks.incrementAndGet();
              }
              d.ack();
            }
          });
    }
  }

  @Test
  void everyMessageIsAcknowledgedAndStayingMembersNeverShareOne() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (BrokerFixture fixture = BrokerFixture.start()) {
      Broker broker = fixture.broker();
      String filter = "$share/app/orders/+";
      Duration expiry = Duration.ofMinutes(1);
      Member a = new Member(pool);
      Member b = new Member(pool);
      Member c = new Member(pool);
      Subscription subA =
          broker.subscribe(new SubscriptionRequest("a", filter, Qos.AT_LEAST_ONCE, 5, expiry), a);
      broker.subscribe(new SubscriptionRequest("b", filter, Qos.AT_LEAST_ONCE, 3, expiry), b);
      for (int i = 0; i < MESSAGES; i++) {
        byte[] payload = ("m" + i).getBytes(UTF_8);
        broker.publish(Message.of("orders/" + (i % 7), payload, Qos.AT_LEAST_ONCE, false));
        if (i == MESSAGES / 3) {
          subA.close(); // its unsettled messages go to the others
        }
        if (i == MESSAGES / 2) {
          broker.subscribe(new SubscriptionRequest("c", filter, Qos.AT_LEAST_ONCE, 4, expiry), c);
        }
      }
      Set<String> all = ConcurrentHashMap.newKeySet();
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                all.addAll(a.acked);
                all.addAll(b.acked);
                all.addAll(c.acked);
                return all.size() == MESSAGES;
              });
      assertThat(b.duplicateAcks.get() + c.duplicateAcks.get()).isZero();
      Set<String> bothStaying = new HashSet<>(b.acked);
      bothStaying.retainAll(c.acked);
      assertThat(bothStaying).isEmpty();
      assertThat(c.acked).isNotEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
