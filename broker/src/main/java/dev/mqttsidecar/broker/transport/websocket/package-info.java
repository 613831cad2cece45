/**
 * MQTT over WebSocket (MQTT 5.0 and 3.1.1 section 6): the HTTP upgrade on {@code /mqtt} with
 * subprotocol {@code mqtt}, and adapters between binary WebSocket frames and the MQTT byte stream.
 */
package dev.mqttsidecar.broker.transport.websocket;
