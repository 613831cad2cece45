package dev.mqttsidecar.component.socket;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where the component's Unix domain socket lives: {@code <folder>/<name>.sock}. daprd derives the
 * component type suffix from the file name without extension ({@code pubsub.<name>}).
 */
public record SocketPath(Path folder, String name) {

  /** Linux {@code sun_path} is 108 bytes including the terminating NUL (unix(7)). */
  public static final int MAX_PATH_BYTES = 107;

  /** daprd's default sockets folder. */
  public static final String DEFAULT_FOLDER = "/tmp/dapr-components-sockets";

  /** The environment variable daprd reads for the folder. */
  public static final String FOLDER_ENV = "DAPR_COMPONENTS_SOCKETS_FOLDER";

  /**
   * The one Dapr's Kubernetes injector sets in pluggable component containers: where it mounted the
   * volume shared with daprd (a pod annotation, dapr.io/pluggable-components-sockets-folder, may
   * move it from the default).
   */
  public static final String INJECTOR_FOLDER_ENV = "DAPR_COMPONENT_SOCKETS_FOLDER";

  public SocketPath {
    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException(
          "invalid component name '"
              + name
              + "': must be non-empty, without '/' and not start with '.'");
    }
    folder = folder.toAbsolutePath().normalize();
    int bytes = folder.resolve(name + ".sock").toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PATH_BYTES) {
      throw new IllegalArgumentException(
          "socket path "
              + folder.resolve(name + ".sock")
              + " is "
              + bytes
              + " bytes; Unix domain socket paths are limited to "
              + MAX_PATH_BYTES
              + " bytes (108 with the terminating NUL): choose a shorter --socket-folder or --name");
    }
  }

  /** The folder the environment names: daprd's variable, else the injector's; or null. */
  public static String folderFromEnvironment(Function<String, String> env) {
    String daprd = env.apply(FOLDER_ENV);
    return daprd != null && !daprd.isBlank() ? daprd : env.apply(INJECTOR_FOLDER_ENV);
  }

  /** The folder from the option, else the environment, else daprd's default. */
  public static Path resolveFolder(Path option, String envValue) {
    if (option != null) {
      return option;
    }
    if (envValue != null && !envValue.isBlank()) {
      return Path.of(envValue);
    }
    return Path.of(DEFAULT_FOLDER);
  }

  public Path socket() {
    return folder.resolve(name + ".sock");
  }

  /**
   * The lock guarding the socket. It lives in a sub-folder because daprd tries every file in the
   * sockets folder as a socket but skips directories.
   */
  public Path lockFile() {
    return folder.resolve(".mqtt-sidecar-locks").resolve(name + ".lock");
  }
}
