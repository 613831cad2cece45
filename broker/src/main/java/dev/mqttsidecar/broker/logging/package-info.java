/** Logging that clients cannot turn into a flood. */
package dev.mqttsidecar.broker.logging;
