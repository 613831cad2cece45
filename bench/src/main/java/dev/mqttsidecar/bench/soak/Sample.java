package dev.mqttsidecar.bench.soak;

import dev.mqttsidecar.bench.report.Csv;
import java.util.List;

/**
 * One sampling point: the sidecar's resources and the load's counters so far.
 *
 * @param unconfirmed acknowledged messages not yet received (in flight now; lost if still so at the
 *     end)
 */
record Sample(
    double elapsedSeconds,
    ProcessProbe.Resources resources,
    long sent,
    long acked,
    long received,
    long unconfirmed,
    long errors,
    long sessionConnects,
    long stateCalls) {

  static final String CSV_HEADER =
      "elapsed_s,heap_after_gc_kib,rss_kib,threads,fds,store_bytes,sent,acked,received,"
          + "unconfirmed,errors,session_connects,state_calls";

  /** Sums the counters of {@code ledgers}. */
  static Sample of(
      double elapsedSeconds,
      ProcessProbe.Resources resources,
      List<Ledger> ledgers,
      long sessionConnects,
      long stateCalls) {
    return new Sample(
        elapsedSeconds,
        resources,
        ledgers.stream().mapToLong(Ledger::sentCount).sum(),
        ledgers.stream().mapToLong(Ledger::ackedCount).sum(),
        ledgers.stream().mapToLong(Ledger::receivedCount).sum(),
        ledgers.stream().mapToLong(Ledger::missing).sum(),
        ledgers.stream().mapToLong(Ledger::errors).sum(),
        sessionConnects,
        stateCalls);
  }

  /** A row of soak.csv, as {@link #csv()} wrote it. */
  static Sample parse(String row) {
    String[] f = row.split(",", -1);
    if (f.length != CSV_HEADER.split(",").length) {
      throw new IllegalArgumentException("not a soak.csv row: " + row);
    }
    long[] v = new long[f.length];
    for (int i = 0; i < f.length; i++) {
      v[i] = Long.parseLong(f[i].trim());
    }
    return new Sample(
        v[0],
        new ProcessProbe.Resources(v[1], v[2], v[3], v[4], v[5]),
        v[6],
        v[7],
        v[8],
        v[9],
        v[10],
        v[11],
        v[12]);
  }

  double minutes() {
    return elapsedSeconds / 60;
  }

  String csv() {
    ProcessProbe.Resources r = resources;
    return String.join(
        ",",
        Csv.num(Math.round(elapsedSeconds)),
        Csv.num(r.heapKib()),
        Csv.num(r.rssKib()),
        Csv.num(r.threads()),
        Csv.num(r.fds()),
        Csv.num(r.storeBytes()),
        Csv.num(sent),
        Csv.num(acked),
        Csv.num(received),
        Csv.num(unconfirmed),
        Csv.num(errors),
        Csv.num(sessionConnects),
        Csv.num(stateCalls));
  }
}
