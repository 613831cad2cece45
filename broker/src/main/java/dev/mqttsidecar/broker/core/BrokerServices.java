package dev.mqttsidecar.broker.core;

import dev.mqttsidecar.broker.BrokerConfig;
import dev.mqttsidecar.broker.retained.RetainedService;
import dev.mqttsidecar.broker.session.Counters;
import dev.mqttsidecar.broker.session.SessionContext;
import dev.mqttsidecar.broker.session.SessionRegistry;
import dev.mqttsidecar.broker.subscription.TopicRules;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The broker's internal services, handed to the transport.
 *
 * @param config the configuration
 * @param rules topic validation with the configured limits
 * @param sessions all sessions
 * @param sessionContext what new sessions share
 * @param publisher the one publish path
 * @param subscriptions subscribe/unsubscribe
 * @param retained retained messages
 * @param workers pool for blocking hooks (authentication) and serial executors
 * @param scheduler timers (will delay)
 * @param counters drop counters
 */
public record BrokerServices(
    BrokerConfig config,
    TopicRules rules,
    SessionRegistry sessions,
    SessionContext sessionContext,
    PublishService publisher,
    SubscriptionService subscriptions,
    RetainedService retained,
    ExecutorService workers,
    ScheduledExecutorService scheduler,
    Counters counters) {}
