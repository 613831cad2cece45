package dev.mqttsidecar.component.dataflow;

import dev.mqttsidecar.broker.UserProperty;
import java.util.List;

/** A message on its way through a dataflow, whichever side it came from. */
record FlowMessage(
    String topic,
    byte[] payload,
    int qos,
    boolean retain,
    String contentType,
    List<UserProperty> userProperties) {

  FlowMessage with(String newTopic, byte[] newPayload, String newContentType) {
    return new FlowMessage(
        newTopic,
        newPayload,
        qos,
        retain,
        newContentType == null ? contentType : newContentType,
        userProperties);
  }
}
