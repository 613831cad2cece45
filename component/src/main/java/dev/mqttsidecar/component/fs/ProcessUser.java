package dev.mqttsidecar.component.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The user this process runs as. */
final class ProcessUser {
  private ProcessUser() {}

  /**
   * The effective uid: the owner of {@code /proc/self}. The user name would not do, because a
   * container may run under a uid with no name.
   */
  static int uid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }
}
