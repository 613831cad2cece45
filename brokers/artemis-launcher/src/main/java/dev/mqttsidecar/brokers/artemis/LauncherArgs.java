package dev.mqttsidecar.brokers.artemis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The launcher's command line: {@code --name NAME --mqtt-port PORT --cluster-port PORT --dir DIR
 * [--peers PORT,PORT...]}. All ports are on 127.0.0.1; peers are the other nodes' cluster ports.
 */
record LauncherArgs(String name, int mqttPort, int clusterPort, Path dir, List<Integer> peers) {
  static final String USAGE =
      "usage: --name NAME --mqtt-port PORT --cluster-port PORT --dir DIR [--peers PORT,PORT...]";

  static LauncherArgs parse(String[] args) {
    String name = null;
    int mqttPort = -1;
    int clusterPort = -1;
    Path dir = null;
    List<Integer> peers = new ArrayList<>();
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException(USAGE);
    }
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--name" -> name = value;
        case "--mqtt-port" -> mqttPort = Integer.parseInt(value);
        case "--cluster-port" -> clusterPort = Integer.parseInt(value);
        case "--dir" -> dir = Path.of(value);
        case "--peers" -> {
          for (String port : value.split(",")) {
            if (!port.isBlank()) {
              peers.add(Integer.parseInt(port.trim()));
            }
          }
        }
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; " + USAGE);
      }
    }
    if (name == null || mqttPort <= 0 || clusterPort <= 0 || dir == null) {
      throw new IllegalArgumentException(USAGE);
    }
    return new LauncherArgs(name, mqttPort, clusterPort, dir, List.copyOf(peers));
  }
}
