package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.persistence.QueuePersistence;
import dev.mqttsidecar.broker.persistence.RetainedPersistence;
import dev.mqttsidecar.broker.persistence.SessionPersistence;
import dev.mqttsidecar.broker.persistence.rocksdb.BrokerStorage;
import dev.mqttsidecar.broker.persistence.rocksdb.StoreConfig;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SessionRegistry;
import dev.mqttsidecar.broker.session.SubscriptionOptions;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import dev.mqttsidecar.broker.subscription.TopicFilter;
import dev.mqttsidecar.broker.subscription.TopicRules;
import dev.mqttsidecar.broker.transport.MqttServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the broker's services together and runs the MQTT listener. */
public final class EmbeddedBroker implements Broker {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  /**
   * Key prefix separating in-process session ids from MQTT client ids (which cannot hold U+0000).
   */
  static final String IN_PROCESS_PREFIX = "\u0000in-process/";

  private static final int ATTACH_WAIT_SECONDS = 5;

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final BrokerConfig config;
  private final BrokerServices services;
  private final ExecutorService workers;
  private final ScheduledExecutorService scheduler;
  private final RetainedPersistence retainedPersistence;
  private final QueuePersistence queuePersistence;
  private final BrokerStorage storage; // null when the caller supplied the persistence
  private final MqttServer server;
  private volatile State state = State.NEW;

  /**
   * A broker on the storage {@code config} asks for: in memory, or the durable store in its data
   * directory (opened here, so a store that cannot be read fails creation, before anything binds).
   */
  public EmbeddedBroker(BrokerConfig config) {
    this(config, BrokerStorage.open(storeConfig(config), config.clock()));
  }

  private EmbeddedBroker(BrokerConfig config, BrokerStorage storage) {
    this(config, storage, storage.retained(), storage.queues());
  }

  /**
   * A broker storing retained messages in {@code retainedPersistence}; session queues in memory.
   */
  public EmbeddedBroker(BrokerConfig config, RetainedPersistence retainedPersistence) {
    this(config, retainedPersistence, QueuePersistence.NONE);
  }

  /**
   * A broker storing retained messages in {@code retainedPersistence} and mirroring persistent
   * sessions' queues to {@code queuePersistence}. Both are closed by {@link #stop()}.
   */
  public EmbeddedBroker(
      BrokerConfig config,
      RetainedPersistence retainedPersistence,
      QueuePersistence queuePersistence) {
    this(config, null, retainedPersistence, queuePersistence);
  }

  private EmbeddedBroker(
      BrokerConfig config,
      BrokerStorage storage,
      RetainedPersistence retainedPersistence,
      QueuePersistence queuePersistence) {
    this.config = config;
    this.storage = storage;
    this.retainedPersistence = retainedPersistence;
    this.queuePersistence = queuePersistence;
    this.workers =
        // In-process sessions, shared groups and the hooks run here (MQTT sessions run on their
        // connection's event loop). Hooks (authentication) and a subscribe/close waiting for its
        // session may block: keep spare threads.
        Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            daemon("mqtt-broker-worker"));
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(1, daemon("mqtt-broker-timer"));
    timers.setRemoveOnCancelPolicy(true);
    this.scheduler = timers;
    TopicRules rules = new TopicRules(config.maxTopicLength(), config.maxTopicLevels());
    Counters counters = new Counters();
    SessionRegistry registry = new SessionRegistry();
    SubscriptionService[] subs = new SubscriptionService[1];
    SessionContext ctx =
        new SessionContext(
            workers,
            scheduler,
            config.clock(),
            config.maxQueuedMessages(),
            config.queueOverflow(),
            counters,
            s -> {
              subs[0].removeAll(s);
              registry.remove(s);
            },
            queuePersistence,
            storage == null ? SessionPersistence.NONE : storage.sessions());
    SubscriptionIndex index = new SubscriptionIndex(ctx);
    PublishService[] pub = new PublishService[1];
    RetainedService retained =
        new RetainedService(
            retainedPersistence,
            rules,
            config.maxPacketSize(),
            config.clock(),
            m -> pub[0].fanOut(m, null));
    pub[0] =
        new PublishService(
            index,
            retained,
            rules,
            config.maxPacketSize(),
            config.clock(),
            () -> state == State.RUNNING);
    subs[0] = new SubscriptionService(index, retained);
    this.services =
        new BrokerServices(
            config, rules, registry, ctx, pub[0], subs[0], retained, workers, scheduler, counters);
    this.server = new MqttServer(services);
  }

  private static StoreConfig storeConfig(BrokerConfig config) {
    return StoreConfig.fsync(config.dataDirectory().toAbsolutePath())
        .withDurability(config.durability())
        .withSyncInterval(config.syncInterval());
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Internal services, for tests and metrics. */
  public BrokerServices services() {
    return services;
  }

  @Override
  public synchronized void start() throws Exception {
    if (state != State.NEW) {
      throw new IllegalStateException("broker already " + state);
    }
    if (storage != null) {
      log.info("data directory: {}", storage.describe());
    }
    // Everything stored is back in memory before the listener binds: no client sees a gap.
    long restoreStart = System.nanoTime();
    services.retained().restore();
    if (storage != null) {
      new SessionRestore(services, storage).run();
      log.info(
          "restored {} retained messages and {} sessions in {} ms",
          services.retained().size(),
          services.sessions().all().size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restoreStart));
    }
    server.start();
    state = State.RUNNING;
  }

  @Override
  public synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    server.stop();
    if (storage == null || storage.durability() == Durability.MEMORY) {
      for (Session s : new ArrayList<>(services.sessions().all())) {
        s.end();
      }
    }
    // On a durable store sessions are left as they are, not ended: ending would delete their
    // stored records and queues, which must be there when the broker starts again.
    workers.shutdown();
    scheduler.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
    retainedPersistence.close();
    queuePersistence.close();
    if (storage != null) {
      storage.close(); // writes and syncs what is still queued
    }
  }

  @Override
  public InetSocketAddress mqttAddress() {
    InetSocketAddress bound = server.boundAddress();
    return bound != null ? bound : new InetSocketAddress(config.host(), config.port());
  }

  @Override
  public CompletableFuture<PublishResult> publish(Message message) {
    return services.publisher().publish(message, null);
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request, Subscriber subscriber) {
    TopicFilter filter = services.rules().parseFilter(request.filter());
    if (state == State.STOPPED) {
      throw new IllegalStateException("broker stopped");
    }
    SessionContext ctx = services.sessionContext();
    Session session =
        services
            .sessions()
            .open(
                IN_PROCESS_PREFIX + request.sessionId(),
                false,
                key -> new Session(key, request.sessionId(), ctx))
            .session();
    session.setExpiry(request.sessionExpiry());
    // One filter per in-process session: a new filter replaces the old one.
    for (String raw : new ArrayList<>(session.subscriptions().keySet())) {
      if (!raw.equals(filter.raw())) {
        services.subscriptions().unsubscribe(session, services.rules().parseFilter(raw));
      }
    }
    SubscriberOutbound outbound = new SubscriberOutbound(subscriber);
    CompletableFuture<Void> attached = session.attach(outbound, request.maxInflight(), () -> {});
    if (!session.executor().inExecutor()) {
      // Once subscribe returns the subscriber is online (a shared group can pick it at once).
      try {
        attached.get(ATTACH_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // The attach still happens; only the wait gave up.
      }
    }
    // In-process subscribers see the RETAIN flag as published; retained messages only when new.
    SubscriptionOptions options = new SubscriptionOptions(request.maxQos(), false, true, 1);
    SubscriptionService subscriptions = services.subscriptions();
    subscriptions.sendRetained(
        session, filter, options, subscriptions.subscribe(session, filter, options));
    return new InProcessSubscription(session, outbound);
  }

  @Override
  public int connectedSubscribers(String topic) {
    TopicRules rules = services.rules();
    int connected = 0;
    for (Session session : services.sessions().all()) {
      // The index adds a filter to the session's map last: once seen here, publishes route to it.
      if (session.isOnline()
          && session.subscriptions().keySet().stream()
              .anyMatch(raw -> rules.parseFilter(raw).matches(topic))) {
        connected++;
      }
    }
    return connected;
  }

  @Override
  public RetainedStore retained() {
    return services.retained();
  }
}
