package dev.mqttsidecar.broker;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Immutable broker configuration. Start from {@link #builder()} or {@link #defaults()}.
 *
 * @param listeners the MQTT listeners, at least one, with distinct names
 * @param maxConnections concurrent connections; one more is closed as soon as it is accepted
 * @param connectTimeout how long after accept a connection may take to complete CONNECT
 * @param maxPacketSize largest packet accepted (and advertised as Maximum Packet Size)
 * @param receiveMaximum inbound QoS 1/2 PUBLISHes a client may have unacknowledged (0x93 past it)
 * @param maxInflightOutbound outbound QoS 1/2 messages unacknowledged per session (further capped
 *     by the client's Receive Maximum)
 * @param maxQueuedMessages messages queued per session (or shared group) while offline or when the
 *     window is full
 * @param maxQueuedBytes payload bytes queued per session (or shared group), a second bound next to
 *     {@code maxQueuedMessages}; a message that would exceed either finds its queue full
 * @param queueOverflow what happens to a message that finds its queue full
 * @param maxTopicLength longest topic name or filter in bytes
 * @param maxTopicLevels most levels in a topic name or filter
 * @param maxSubscriptionsPerClient subscriptions per session
 * @param quotas bounds on retained messages and persistent sessions
 * @param maxSessionExpiry upper bound on a client's Session Expiry Interval
 * @param maxPendingWills wills held at once, of live connections and waiting for their Will Delay
 *     Interval; a CONNECT with a will beyond it is refused (0x97 Quota exceeded, 3.1.1: 0x03)
 * @param serverKeepAlive if set, overrides the client's keep alive (5.0 Server Keep Alive)
 * @param topicAliasMaximum inbound Topic Alias Maximum advertised to 5.0 clients (0 = none)
 * @param maximumQos the highest QoS clients may publish with (and leave a will with); subscriptions
 *     are granted at most this QoS; announced to 5.0 clients when below 2
 * @param responseInformation sent as Response Information to 5.0 clients that request it, or null
 * @param sysInterval how often {@code $SYS/broker/...} statistics are published; zero disables them
 * @param lifecycleEvents whether client connect/disconnect events are published on {@code
 *     $events/clients/{clientId}/connected|disconnected}
 * @param enhancedAuthenticator 5.0 enhanced authentication (AUTH), or null: any Authentication
 *     Method is refused with 0x8C
 * @param authenticator who may connect
 * @param authorizer who may publish/subscribe where
 * @param clock time source for expiry, keep alive and redelivery
 * @param dataDirectory where the durable store lives (relative paths resolve against the working
 *     directory); unused with {@link Durability#MEMORY}
 * @param durability when a write counts as durable, and therefore when it is acknowledged
 * @param syncInterval how often the write-ahead log is fsync'd with {@link Durability#PERIODIC}
 * @param storageObserver told how long the durable store's disk writes and fsyncs take (metrics)
 */
public record BrokerConfig(
    List<Listener> listeners,
    int maxConnections,
    Duration connectTimeout,
    int maxPacketSize,
    int receiveMaximum,
    int maxInflightOutbound,
    int maxQueuedMessages,
    long maxQueuedBytes,
    QueueOverflow queueOverflow,
    int maxTopicLength,
    int maxTopicLevels,
    int maxSubscriptionsPerClient,
    Quotas quotas,
    Duration maxSessionExpiry,
    int maxPendingWills,
    Duration serverKeepAlive,
    int topicAliasMaximum,
    int maximumQos,
    String responseInformation,
    Duration sysInterval,
    boolean lifecycleEvents,
    EnhancedAuthenticator enhancedAuthenticator,
    Authenticator authenticator,
    Authorizer authorizer,
    Clock clock,
    Path dataDirectory,
    Durability durability,
    Duration syncInterval,
    StorageObserver storageObserver) {

  /** Default of {@link #maxQueuedBytes}: 256 MiB. */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 256L * 1024 * 1024;

  /** Default data directory, relative to the working directory. */
  public static final Path DEFAULT_DATA_DIRECTORY = Path.of("data");

  /** What to do with a message whose session or group queue is full. */
  public enum QueueOverflow {
    /** Drop the new message (and count it). */
    DROP_NEWEST,
    /** Drop the oldest queued message to make room (and count it). */
    DROP_OLDEST
  }

  public BrokerConfig {
    listeners = List.copyOf(listeners);
    if (listeners.isEmpty()) {
      throw new IllegalArgumentException("at least one listener is needed");
    }
    if (listeners.stream().map(Listener::name).distinct().count() != listeners.size()) {
      throw new IllegalArgumentException("listener names must be distinct");
    }
    Objects.requireNonNull(queueOverflow, "queueOverflow");
    Objects.requireNonNull(maxSessionExpiry, "maxSessionExpiry");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(authorizer, "authorizer");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(dataDirectory, "dataDirectory");
    Objects.requireNonNull(storageObserver, "storageObserver");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(syncInterval, "syncInterval");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.toMillis() < 100) {
      throw new IllegalArgumentException(
          "connectTimeout must be at least 100 ms, was " + connectTimeout);
    }
    if (syncInterval.isNegative() || syncInterval.isZero()) {
      throw new IllegalArgumentException("syncInterval must be positive, was " + syncInterval);
    }
    requireRange("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
    requireRange("maxPacketSize", maxPacketSize, 64, 268_435_455);
    requireRange("receiveMaximum", receiveMaximum, 1, 65535);
    requireRange("maxInflightOutbound", maxInflightOutbound, 1, 65535);
    requireRange("maxQueuedMessages", maxQueuedMessages, 1, Integer.MAX_VALUE);
    requireRange("maxQueuedBytes", maxQueuedBytes, 1, Long.MAX_VALUE);
    requireRange("maxTopicLength", maxTopicLength, 1, 65535);
    requireRange("maxTopicLevels", maxTopicLevels, 1, 65535);
    requireRange("maxSubscriptionsPerClient", maxSubscriptionsPerClient, 1, Integer.MAX_VALUE);
    Objects.requireNonNull(quotas, "quotas");
    requireRange("maxPendingWills", maxPendingWills, 0, Integer.MAX_VALUE);
    requireRange("topicAliasMaximum", topicAliasMaximum, 0, 65535);
    requireRange("maximumQos", maximumQos, 0, 2);
    Objects.requireNonNull(sysInterval, "sysInterval");
    if (sysInterval.isNegative() || (!sysInterval.isZero() && sysInterval.toMillis() < 100)) {
      throw new IllegalArgumentException("sysInterval must be zero or at least 100 ms");
    }
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be in [" + min + ", " + max + "], was " + value);
    }
  }

  /** The defaults documented in the README. */
  public static BrokerConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.listeners = listeners;
    b.maxConnections = maxConnections;
    b.connectTimeout = connectTimeout;
    b.maxPacketSize = maxPacketSize;
    b.receiveMaximum = receiveMaximum;
    b.maxInflightOutbound = maxInflightOutbound;
    b.maxQueuedMessages = maxQueuedMessages;
    b.maxQueuedBytes = maxQueuedBytes;
    b.queueOverflow = queueOverflow;
    b.maxTopicLength = maxTopicLength;
    b.maxTopicLevels = maxTopicLevels;
    b.maxSubscriptionsPerClient = maxSubscriptionsPerClient;
    b.quotas = quotas;
    b.maxSessionExpiry = maxSessionExpiry;
    b.maxPendingWills = maxPendingWills;
    b.serverKeepAlive = serverKeepAlive;
    b.topicAliasMaximum = topicAliasMaximum;
    b.maximumQos = maximumQos;
    b.responseInformation = responseInformation;
    b.sysInterval = sysInterval;
    b.lifecycleEvents = lifecycleEvents;
    b.enhancedAuthenticator = enhancedAuthenticator;
    b.authenticator = authenticator;
    b.authorizer = authorizer;
    b.clock = clock;
    b.dataDirectory = dataDirectory;
    b.durability = durability;
    b.syncInterval = syncInterval;
    b.storageObserver = storageObserver;
    return b;
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private List<Listener> listeners = List.of(Listener.plain("127.0.0.1", 1883));
    private int maxConnections = 100_000;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxPacketSize = 5 * 1024 * 1024; // room for a 4 MiB state value plus headers
    private int receiveMaximum = 1024;
    private int maxInflightOutbound = 100;
    private int maxQueuedMessages = 10_000;
    private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
    private QueueOverflow queueOverflow = QueueOverflow.DROP_NEWEST;
    private int maxTopicLength = 65535;
    private int maxTopicLevels = 64;
    private int maxSubscriptionsPerClient = 1000;
    private Quotas quotas = Quotas.DEFAULTS;
    private Duration maxSessionExpiry = Duration.ofDays(7);
    private int maxPendingWills = 100_000;
    private Duration serverKeepAlive = null;
    private int topicAliasMaximum = 64;
    private int maximumQos = 2;
    private String responseInformation = null;
    private Duration sysInterval = Duration.ofSeconds(10);
    private boolean lifecycleEvents = true;
    private EnhancedAuthenticator enhancedAuthenticator = null;
    private Authenticator authenticator = Authenticator.ALLOW_ALL;
    private Authorizer authorizer = Authorizer.ALLOW_ALL;
    private StorageObserver storageObserver = StorageObserver.NONE;
    private Clock clock = Clock.systemUTC();
    private Path dataDirectory = DEFAULT_DATA_DIRECTORY;
    private Durability durability = Durability.FSYNC;
    private Duration syncInterval = Duration.ofMillis(100);

    private Builder() {}

    /** Replaces the listeners. */
    public Builder listeners(List<Listener> value) {
      this.listeners = value;
      return this;
    }

    /** One plain MQTT listener on this address (and the port set before, or 1883). */
    public Builder host(String value) {
      this.listeners = List.of(Listener.plain(value, first().port()));
      return this;
    }

    /** One plain MQTT listener on this port (and the address set before, or 127.0.0.1). */
    public Builder port(int value) {
      this.listeners = List.of(Listener.plain(first().host(), value));
      return this;
    }

    private Listener first() {
      return listeners.isEmpty() ? Listener.plain("127.0.0.1", 1883) : listeners.get(0);
    }

    public Builder maxConnections(int value) {
      this.maxConnections = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder maxPacketSize(int value) {
      this.maxPacketSize = value;
      return this;
    }

    public Builder receiveMaximum(int value) {
      this.receiveMaximum = value;
      return this;
    }

    public Builder maxInflightOutbound(int value) {
      this.maxInflightOutbound = value;
      return this;
    }

    public Builder maxQueuedMessages(int value) {
      this.maxQueuedMessages = value;
      return this;
    }

    public Builder maxQueuedBytes(long value) {
      this.maxQueuedBytes = value;
      return this;
    }

    public Builder queueOverflow(QueueOverflow value) {
      this.queueOverflow = value;
      return this;
    }

    public Builder maxTopicLength(int value) {
      this.maxTopicLength = value;
      return this;
    }

    public Builder maxTopicLevels(int value) {
      this.maxTopicLevels = value;
      return this;
    }

    public Builder maxSubscriptionsPerClient(int value) {
      this.maxSubscriptionsPerClient = value;
      return this;
    }

    public Builder quotas(Quotas value) {
      this.quotas = value;
      return this;
    }

    public Builder maxSessionExpiry(Duration value) {
      this.maxSessionExpiry = value;
      return this;
    }

    public Builder maxPendingWills(int value) {
      this.maxPendingWills = value;
      return this;
    }

    public Builder serverKeepAlive(Duration value) {
      this.serverKeepAlive = value;
      return this;
    }

    public Builder topicAliasMaximum(int value) {
      this.topicAliasMaximum = value;
      return this;
    }

    public Builder maximumQos(int value) {
      this.maximumQos = value;
      return this;
    }

    public Builder responseInformation(String value) {
      this.responseInformation = value;
      return this;
    }

    public Builder sysInterval(Duration value) {
      this.sysInterval = value;
      return this;
    }

    public Builder lifecycleEvents(boolean value) {
      this.lifecycleEvents = value;
      return this;
    }

    public Builder enhancedAuthenticator(EnhancedAuthenticator value) {
      this.enhancedAuthenticator = value;
      return this;
    }

    public Builder authenticator(Authenticator value) {
      this.authenticator = value;
      return this;
    }

    public Builder storageObserver(StorageObserver value) {
      this.storageObserver = value;
      return this;
    }

    public Builder authorizer(Authorizer value) {
      this.authorizer = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public Builder dataDirectory(Path value) {
      this.dataDirectory = value;
      return this;
    }

    public Builder durability(Durability value) {
      this.durability = value;
      return this;
    }

    public Builder syncInterval(Duration value) {
      this.syncInterval = value;
      return this;
    }

    public BrokerConfig build() {
      return new BrokerConfig(
          listeners,
          maxConnections,
          connectTimeout,
          maxPacketSize,
          receiveMaximum,
          maxInflightOutbound,
          maxQueuedMessages,
          maxQueuedBytes,
          queueOverflow,
          maxTopicLength,
          maxTopicLevels,
          maxSubscriptionsPerClient,
          quotas,
          maxSessionExpiry,
          maxPendingWills,
          serverKeepAlive,
          topicAliasMaximum,
          maximumQos,
          responseInformation,
          sysInterval,
          lifecycleEvents,
          enhancedAuthenticator,
          authenticator,
          authorizer,
          clock,
          dataDirectory,
          durability,
          syncInterval,
          storageObserver);
    }
  }
}
