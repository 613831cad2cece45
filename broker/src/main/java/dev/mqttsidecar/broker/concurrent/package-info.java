/**
 * Executors the broker and its adapters share: serial executors that confine an owner's state to
 * one task at a time, and daemon thread factories. Part of the broker's public API.
 */
package dev.mqttsidecar.broker.concurrent;
