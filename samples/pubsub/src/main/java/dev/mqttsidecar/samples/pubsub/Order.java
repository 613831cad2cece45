package dev.mqttsidecar.samples.pubsub;

/** The sample's message: what the publisher sends and the subscriber reads. */
public record Order(int id, String item, int quantity) {}
