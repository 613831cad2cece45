package dev.mqttsidecar.broker.transport;

import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.broker.core.BrokerServices;
import dev.mqttsidecar.broker.session.Session;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resumed session brings the subscriptions an earlier connection made, perhaps under other
 * credentials or before the rules changed. Each is authorized again for the client now connecting,
 * and those it may not make are dropped: a client id never carries another client's grants.
 */
final class ResumedSubscriptions {
  private static final Logger LOG = LoggerFactory.getLogger(ResumedSubscriptions.class);

  private ResumedSubscriptions() {}

  /** Drops the subscriptions of {@code session} that {@code client} may not make. */
  static void revokeUnauthorized(BrokerServices services, Session session, ClientIdentity client) {
    for (String raw : List.copyOf(session.subscriptions().keySet())) {
      if (!services.config().authorizer().maySubscribe(client, raw)) {
        LOG.info("{}: resumed subscription {} dropped: not authorized", client.clientId(), raw);
        services.subscriptions().unsubscribe(session, TopicRules.SPEC.parseFilter(raw));
      }
    }
  }
}
