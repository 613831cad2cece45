/** Text helpers the broker's layers share. */
package dev.mqttsidecar.broker.text;
