package dev.mqttsidecar.bench.conn;

import dev.mqttsidecar.bench.report.Csv;

/**
 * What the connection-scale scenario measured.
 *
 * @param connections connections attempted
 * @param established connections that got CONNACK
 * @param elapsedMs from the first connect to the last CONNACK
 * @param connectRate established connections per second
 * @param rssBeforeKib broker resident memory before connecting (-1 if unknown)
 * @param rssAfterKib broker resident memory with all connections idle (-1 if unknown)
 * @param rssPerConnectionBytes (after - before) / established (-1 if unknown)
 */
public record ConnectionsResult(
    String label,
    String name,
    String mqtt,
    int connections,
    int established,
    long elapsedMs,
    double connectRate,
    long rssBeforeKib,
    long rssAfterKib,
    long rssPerConnectionBytes) {

  public static final String CSV_HEADER =
      "label,name,mqtt,connections,established,elapsed_ms,connect_rate,"
          + "rss_before_kib,rss_after_kib,rss_per_conn_bytes";

  public String csvRow() {
    return String.join(
        ",",
        Csv.text(label),
        Csv.text(name),
        mqtt,
        Integer.toString(connections),
        Integer.toString(established),
        Long.toString(elapsedMs),
        Csv.num(connectRate),
        Long.toString(rssBeforeKib),
        Long.toString(rssAfterKib),
        Long.toString(rssPerConnectionBytes));
  }

  public String json() {
    return Csv.json(CSV_HEADER, csvRow());
  }

  public String summary() {
    String memory =
        rssPerConnectionBytes < 0
            ? "broker RSS unknown (no --broker-pid)"
            : String.format(
                "broker RSS %,d -> %,d KiB, %,d bytes/connection",
                rssBeforeKib, rssAfterKib, rssPerConnectionBytes);
    return String.format(
        "[%s] %s: %,d/%,d connections (mqtt%s) in %,d ms = %,.0f conn/s | %s",
        label, name, established, connections, mqtt, elapsedMs, connectRate, memory);
  }
}
