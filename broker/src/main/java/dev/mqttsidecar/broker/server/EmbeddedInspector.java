package dev.mqttsidecar.broker.server;

import dev.mqttsidecar.broker.BrokerInspector;
import dev.mqttsidecar.broker.SessionInfo;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.core.InProcessSubscriptions;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.sys.ClientEvent;
import dev.mqttsidecar.broker.transport.MqttServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The {@link BrokerInspector} of an {@link EmbeddedBroker}. */
final class EmbeddedInspector implements BrokerInspector {
  /** A session's counts are read on its executor; a busy one is shown as unknown (-1). */
  private static final long COUNT_WAIT_MILLIS = 500;

  private final BrokerServices services;
  private final MqttServer server;

  EmbeddedInspector(BrokerServices services, MqttServer server) {
    this.services = services;
    this.server = server;
  }

  @Override
  public Map<String, String> statistics() {
    return server.sysSnapshot();
  }

  @Override
  public List<SessionInfo> sessions(String after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    // The smallest `limit` keys after `after`, without sorting every session.
    TreeMap<String, Session> page = new TreeMap<>();
    for (Session s : services.sessions().all()) {
      if (s.key().compareTo(after) > 0 && !s.isEnded()) {
        page.put(s.key(), s);
        if (page.size() > limit) {
          page.pollLastEntry();
        }
      }
    }
    List<CompletableFuture<SessionInfo>> infos = new ArrayList<>(page.size());
    for (Session s : page.values()) {
      infos.add(s.counts((q, i) -> info(s, q, i)));
    }
    List<SessionInfo> out = new ArrayList<>(infos.size());
    int index = 0;
    for (Session s : page.values()) {
      out.add(awaitOrUnknown(infos.get(index++), s));
    }
    return out;
  }

  @Override
  public QueueDepths queueDepths() {
    List<CompletableFuture<long[]>> counts = new ArrayList<>();
    for (Session s : services.sessions().all()) {
      if (!s.isEnded()) {
        counts.add(s.counts((q, i) -> new long[] {q, i}));
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COUNT_WAIT_MILLIS);
    long queued = 0;
    long inflight = 0;
    for (CompletableFuture<long[]> count : counts) {
      try {
        long[] c = count.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        queued += c[0];
        inflight += c[1];
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception busyOrEnded) {
        // left out of the sum, as documented
      }
    }
    return new QueueDepths(queued, inflight);
  }

  private SessionInfo awaitOrUnknown(CompletableFuture<SessionInfo> info, Session s) {
    try {
      return info.get(COUNT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return info(s, -1, -1);
    } catch (Exception e) {
      return info(s, -1, -1);
    }
  }

  private SessionInfo info(Session s, int queued, int inflight) {
    boolean inProcess = InProcessSubscriptions.isInProcessKey(s.key());
    ClientEvent client = inProcess ? null : server.connectedClients().get(s.clientId());
    boolean connected = s.isOnline();
    return new SessionInfo(
        s.key(),
        s.clientId(),
        inProcess,
        connected,
        client == null ? null : client.username(),
        client == null ? 0 : client.protocolVersion(),
        client == null ? null : client.remoteAddress(),
        !s.expiry().isZero(),
        new ArrayList<>(s.subscriptions().keySet()),
        queued,
        inflight);
  }
}
