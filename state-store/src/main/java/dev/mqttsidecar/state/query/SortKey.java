package dev.mqttsidecar.state.query;

/** One sort key: a dotted JSON path and a direction. */
public record SortKey(String path, boolean descending) {}
