/**
 * TLS for the MQTT listeners: PEM files to a Netty {@code SslContext}, its reload when the files
 * change, and the name of a verified client certificate.
 */
package dev.mqttsidecar.broker.tls;
