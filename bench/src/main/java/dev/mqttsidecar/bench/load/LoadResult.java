package dev.mqttsidecar.bench.load;

import dev.mqttsidecar.bench.report.Csv;

/**
 * What one load run measured. Rates are per second over the measured window; latencies are end to
 * end (publisher's send time to subscriber's receive time) in microseconds.
 *
 * @param sent messages published
 * @param expected deliveries the subscriptions should have produced from what was sent
 * @param received deliveries that arrived (with duplicates)
 * @param unique distinct deliveries (per subscriber and publisher sequence number)
 * @param lost expected minus unique
 * @param duplicates deliveries of a sequence number the subscriber already had
 * @param outOfOrder deliveries older than one already received from the same publisher
 * @param publishRate messages published per second in the window
 * @param deliveryRate messages delivered per second in the window (all subscribers together)
 * @param brokerCpu cores the broker process kept busy during the window (-1 if unknown)
 * @param generatorCpu cores this generator kept busy during the window
 * @param errors failed connections, unexpected packets and payloads that were not ours
 */
public record LoadResult(
    String label,
    String name,
    String scenario,
    String mqtt,
    int qos,
    int publishers,
    int subscribers,
    int payload,
    double targetRate,
    double warmupSeconds,
    double durationSeconds,
    long sent,
    long expected,
    long received,
    long unique,
    long lost,
    long duplicates,
    long outOfOrder,
    double publishRate,
    double deliveryRate,
    double p50Us,
    double p90Us,
    double p99Us,
    double p999Us,
    double maxUs,
    double meanUs,
    double brokerCpu,
    double generatorCpu,
    long errors) {

  /** Column names, in record order. */
  public static final String CSV_HEADER =
      "label,name,scenario,mqtt,qos,publishers,subscribers,payload,target_rate,warmup_s,duration_s,"
          + "sent,expected,received,unique,lost,duplicates,out_of_order,publish_rate,delivery_rate,"
          + "p50_us,p90_us,p99_us,p999_us,max_us,mean_us,broker_cpu,generator_cpu,errors";

  public String csvRow() {
    return String.join(
        ",",
        Csv.text(label),
        Csv.text(name),
        scenario,
        mqtt,
        Integer.toString(qos),
        Integer.toString(publishers),
        Integer.toString(subscribers),
        Integer.toString(payload),
        Csv.num(targetRate),
        Csv.num(warmupSeconds),
        Csv.num(durationSeconds),
        Long.toString(sent),
        Long.toString(expected),
        Long.toString(received),
        Long.toString(unique),
        Long.toString(lost),
        Long.toString(duplicates),
        Long.toString(outOfOrder),
        Csv.num(publishRate),
        Csv.num(deliveryRate),
        Csv.num(p50Us),
        Csv.num(p90Us),
        Csv.num(p99Us),
        Csv.num(p999Us),
        Csv.num(maxUs),
        Csv.num(meanUs),
        Csv.fraction(brokerCpu),
        Csv.fraction(generatorCpu),
        Long.toString(errors));
  }

  /** The same values as one JSON object. */
  public String json() {
    return Csv.json(CSV_HEADER, csvRow());
  }

  private static String cores(double c) {
    return c < 0 ? "?" : String.format("%.0f%%", c * 100);
  }

  /** One human-readable line. */
  public String summary() {
    String rate = targetRate > 0 ? String.format("%,.0f msg/s offered", targetRate) : "max rate";
    return String.format(
        "[%s] %s: %s qos%d mqtt%s %dp/%ds %dB %s | sent %,d recv %,d lost %,d dup %,d | pub %,.0f"
            + " msg/s, delivered %,.0f msg/s | p50 %s p90 %s p99 %s p99.9 %s max %s | cpu broker %s"
            + " gen %s%s",
        label,
        name,
        scenario,
        qos,
        mqtt,
        publishers,
        subscribers,
        payload,
        rate,
        sent,
        received,
        lost,
        duplicates,
        publishRate,
        deliveryRate,
        Csv.micros(p50Us),
        Csv.micros(p90Us),
        Csv.micros(p99Us),
        Csv.micros(p999Us),
        Csv.micros(maxUs),
        cores(brokerCpu),
        cores(generatorCpu),
        errors > 0 ? " | ERRORS " + errors : "");
  }
}
