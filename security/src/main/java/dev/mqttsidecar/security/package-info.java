/**
 * Authentication and authorization for the embedded broker's MQTT clients: implementations of the
 * broker's {@link dev.mqttsidecar.broker.Authenticator} and {@link
 * dev.mqttsidecar.broker.Authorizer}, built from the configuration file's {@code authentication}
 * and {@code authorization} sections.
 */
package dev.mqttsidecar.security;
