package dev.mqttsidecar.state.aio;

import dev.mqttsidecar.broker.Authorizer;
import dev.mqttsidecar.broker.ClientIdentity;
import dev.mqttsidecar.state.mqtt.StateService;

/**
 * Lets a client publish Azure IoT Operations state requests exactly when the rules let it publish
 * the state service's requests for the same store: one set of rules decides who reaches a store,
 * whichever protocol it speaks. AIO requests read and write, so all of get, set and delete are
 * needed. Everything else is as {@code rules} decide.
 */
public final class AioStateAuthorizer implements Authorizer {
  private final Authorizer rules;
  private final String[] requiredTopics;

  public AioStateAuthorizer(Authorizer rules, String storeName) {
    this.rules = rules;
    String prefix = StateService.TOPIC_PREFIX + storeName + "/";
    this.requiredTopics = new String[] {prefix + "get", prefix + "set", prefix + "delete"};
  }

  @Override
  public boolean mayPublish(ClientIdentity client, String topic) {
    if (!topic.equals(AioStateService.INVOKE_TOPIC)) {
      return rules.mayPublish(client, topic);
    }
    for (String required : requiredTopics) {
      if (!rules.mayPublish(client, required)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean maySubscribe(ClientIdentity client, String filter) {
    return rules.maySubscribe(client, filter);
  }
}
