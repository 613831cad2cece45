package dev.mqttsidecar.bench.brokers;

import java.nio.file.Path;

/** The launcher's command line: {@code --port PORT --persistence on|off --dir DIR}. */
record LauncherArgs(int port, boolean persistence, Path dir) {

  static LauncherArgs parse(String[] args) {
    int port = -1;
    Boolean persistence = null;
    Path dir = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--persistence" -> persistence = args[i + 1].equals("on");
        case "--dir" -> dir = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (port < 0 || persistence == null || dir == null) {
      throw new IllegalArgumentException("usage: --port PORT --persistence on|off --dir DIR");
    }
    return new LauncherArgs(port, persistence, dir);
  }
}
