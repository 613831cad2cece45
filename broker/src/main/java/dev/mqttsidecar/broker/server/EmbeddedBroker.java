package dev.mqttsidecar.broker.server;

import dev.mqttsidecar.broker.Broker;
import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.BrokerInspector;
import dev.mqttsidecar.broker.BrokerStatistics;
import dev.mqttsidecar.broker.Durability;
import dev.mqttsidecar.broker.Message;
import dev.mqttsidecar.broker.PublishResult;
import dev.mqttsidecar.broker.RetainedStore;
import dev.mqttsidecar.broker.Subscriber;
import dev.mqttsidecar.broker.Subscription;
import dev.mqttsidecar.broker.SubscriptionRequest;
import dev.mqttsidecar.broker.concurrent.DaemonThreads;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.core.InProcessSubscriptions;
import dev.mqttsidecar.broker.core.MessageRouter;
import dev.mqttsidecar.broker.core.PublishService;
import dev.mqttsidecar.broker.core.SessionRestore;
import dev.mqttsidecar.broker.core.SubscriptionService;
import dev.mqttsidecar.broker.persistence.MemoryStorage;
import dev.mqttsidecar.broker.persistence.Storage;
import dev.mqttsidecar.broker.persistence.StoredWill;
import dev.mqttsidecar.broker.persistence.rocksdb.RocksStorage;
import dev.mqttsidecar.broker.persistence.rocksdb.StoreConfig;
import dev.mqttsidecar.broker.retained.RetainedOverQuota;
import dev.mqttsidecar.broker.retained.RetainedQuota;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.PersistentSessionQuota;
import dev.mqttsidecar.broker.session.QueueContext;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SessionRegistry;
import dev.mqttsidecar.broker.subscription.SubscriptionIndex;
import dev.mqttsidecar.broker.subscription.TopicRules;
import dev.mqttsidecar.broker.transport.MqttServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker as a whole: assembles storage, the core services and the MQTT listener, and runs their
 * life-cycle. Each service gets everything it needs in its constructor, in dependency order.
 */
public final class EmbeddedBroker implements Broker {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);

  private enum State {
    NEW,
    RUNNING,
    STOPPED
  }

  private final BrokerConfig config;
  private final Storage storage;
  private final ExecutorService workers;
  private final ScheduledThreadPoolExecutor scheduler;

  private static final Duration EXPIRY_SWEEP = Duration.ofSeconds(1);
  private static final int EXPIRY_BATCH = 1_000;
  private static final int EXPIRY_BATCHES_PER_SWEEP = 100;
  private final BrokerServices services;
  private final InProcessSubscriptions inProcess;
  private final MqttServer server;
  private final EmbeddedInspector inspector;
  private volatile State state = State.NEW;

  /**
   * A broker on the storage {@code config} asks for: in memory, or the durable store in its data
   * directory (opened here, so a store that cannot be read fails creation, before anything binds).
   */
  public EmbeddedBroker(BrokerConfig config) {
    this(config, openStorage(config));
  }

  /** A broker on {@code storage}, which {@link #stop()} closes. */
  public EmbeddedBroker(BrokerConfig config, Storage storage) {
    this.config = config;
    this.storage = storage;
    // In-process sessions, shared groups and the hooks run here (MQTT sessions run on their
    // connection's event loop). Hooks (authentication) and a subscribe/close waiting for its
    // session may block: keep spare threads.
    this.workers =
        Executors.newFixedThreadPool(
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            DaemonThreads.named("mqtt-broker-worker"));
    this.scheduler = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("mqtt-broker-timer"));
    scheduler.setRemoveOnCancelPolicy(true);
    this.services = assemble(config, storage, workers, scheduler, () -> state == State.RUNNING);
    this.inProcess = new InProcessSubscriptions(services);
    this.server = new MqttServer(services, storage.wills());
    this.inspector = new EmbeddedInspector(services, server);
  }

  /**
   * The broker's core on {@code storage}, each service built with what it needs in dependency
   * order, without listeners or a life-cycle: for callers that run the workers and timers
   * themselves, step by step.
   *
   * @param workers runs blocking hooks (authentication) and the serial executors of offline
   *     sessions and shared groups
   * @param scheduler timers: session expiry, will delay, redelivery
   * @param running whether publishing is accepted
   */
  public static BrokerServices assemble(
      BrokerConfig config,
      Storage storage,
      ExecutorService workers,
      ScheduledExecutorService scheduler,
      BooleanSupplier running) {
    TopicRules rules = new TopicRules(config.maxTopicLength(), config.maxTopicLevels());
    Counters counters = new Counters();
    QueueContext queueing =
        new QueueContext(
            workers,
            config.clock(),
            config.maxQueuedMessages(),
            config.maxQueuedBytes(),
            config.queueOverflow(),
            counters,
            storage.queues());
    SubscriptionIndex index = new SubscriptionIndex(queueing);
    MessageRouter router = new MessageRouter(index);
    RetainedService retained =
        new RetainedService(
            storage.retained(),
            rules,
            config.maxPacketSize(),
            config.clock(),
            m -> router.route(m, null),
            new RetainedQuota(
                config.quotas().maxRetainedMessages(), config.quotas().maxRetainedBytes()));
    PublishService publisher =
        new PublishService(
            router, retained, rules, config.maxPacketSize(), config.clock(), running);
    SubscriptionService subscriptions = new SubscriptionService(index, retained);
    SessionRegistry registry =
        new SessionRegistry(
            new PersistentSessionQuota(
                config.quotas().maxPersistentSessions(),
                config.quotas().persistentSessionLimits()));
    SessionContext sessionContext =
        new SessionContext(
            queueing,
            scheduler,
            session -> {
              subscriptions.removeAll(session);
              registry.remove(session);
            },
            storage.sessions());
    return new BrokerServices(
        config,
        rules,
        registry,
        sessionContext,
        publisher,
        subscriptions,
        retained,
        workers,
        scheduler,
        counters);
  }

  private static Storage openStorage(BrokerConfig config) {
    if (config.durability() == Durability.MEMORY) {
      return new MemoryStorage();
    }
    StoreConfig store =
        StoreConfig.fsync(config.dataDirectory().toAbsolutePath())
            .withDurability(config.durability())
            .withSyncInterval(config.syncInterval());
    RocksStorage rocks = RocksStorage.open(store, config.clock());
    rocks.observe(config.storageObserver());
    return rocks;
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
    log.info("data directory: {}", storage.describe());
    // Everything stored is back in memory before the listener binds: no client sees a gap.
    long restoreStart = System.nanoTime();
    services.retained().restore();
    new SessionRestore(services, storage).run();
    if (storage.durability() != Durability.MEMORY) {
      log.info(
          "restored {} retained messages and {} sessions in {} ms",
          services.retained().size(),
          services.sessions().all().size(),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restoreStart));
    }
    // Publishing opens here, before the listener binds: the wills of connections the previous
    // process lost go out through the normal path, to the sessions just restored.
    state = State.RUNNING;
    Map<String, StoredWill> wills = storage.loadWills();
    if (!wills.isEmpty()) {
      int now = server.restoreWills(wills.values());
      log.info(
          "{} wills of connections lost by the previous process: {} published now, {} after"
              + " their delay unless their client connects first",
          wills.size(),
          now,
          wills.size() - now);
    }
    server.start();
    scheduler.scheduleWithFixedDelay(
        this::removeExpiredRetained,
        EXPIRY_SWEEP.toMillis(),
        EXPIRY_SWEEP.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * Expired retained messages (and so state keys past their TTL) leave memory and the store while
   * the broker runs, in batches that each hold the retained write lock only briefly.
   */
  private void removeExpiredRetained() {
    try {
      int rounds = 0;
      while (services.retained().removeExpired(EXPIRY_BATCH) == EXPIRY_BATCH
          && ++rounds < EXPIRY_BATCHES_PER_SWEEP) {
        Thread.yield(); // let waiting writers take the lock between batches
      }
    } catch (RuntimeException e) {
      log.warn("removing expired retained messages failed; trying again later", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (state == State.STOPPED) {
      return;
    }
    state = State.STOPPED;
    server.stop();
    if (storage.durability() == Durability.MEMORY) {
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
    storage.close(); // writes and syncs what is still queued
  }

  @Override
  public BrokerStatistics statistics() {
    return server.statistics();
  }

  @Override
  public InetSocketAddress mqttAddress() {
    return mqttAddress(config.listeners().get(0).name());
  }

  @Override
  public InetSocketAddress mqttAddress(String listener) {
    return server.boundAddress(listener);
  }

  @Override
  public CompletableFuture<PublishResult> publish(Message message) {
    // The caller learns of a refusal, so a message over a retained quota is refused as a whole.
    return services.publisher().publish(message, null, RetainedOverQuota.REFUSE);
  }

  @Override
  public Subscription subscribe(SubscriptionRequest request, Subscriber subscriber) {
    if (state == State.STOPPED) {
      throw new IllegalStateException("broker stopped");
    }
    return inProcess.subscribe(request, subscriber);
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
  public BrokerInspector inspector() {
    return inspector;
  }

  @Override
  public RetainedStore retained() {
    return services.retained();
  }
}
