package dev.mqttsidecar.component.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether a listener's host keeps it on this machine. */
final class LoopbackAddresses {
  private LoopbackAddresses() {}

  /**
   * True when every address {@code host} resolves to is a loopback address. {@code 0.0.0.0} and
   * {@code ::} bind every interface, so they are not; a name that resolves to a LAN address is not
   * either.
   */
  static boolean isLoopback(String host) throws UnknownHostException {
    for (InetAddress address : InetAddress.getAllByName(host)) {
      if (!address.isLoopbackAddress()) {
        return false;
      }
    }
    return true;
  }
}
