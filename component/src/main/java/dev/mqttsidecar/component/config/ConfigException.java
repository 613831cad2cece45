package dev.mqttsidecar.component.config;

/**
 * A configuration the sidecar will not start with. The message is one line that names the file and
 * the key, such as {@code config.yaml: listeners[1].port: must be in [0, 65535], was 70000}.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * @param source the configuration file as given on the command line, or null for the command line
   * @param key the key path such as {@code listeners[1].tls.cert}, or null for the whole file
   * @param problem what is wrong, and where it helps, how to fix it
   */
  public ConfigException(String source, String key, String problem) {
    super(join(source, key, problem));
  }

  private static String join(String source, String key, String problem) {
    StringBuilder line = new StringBuilder();
    if (source != null) {
      line.append(source).append(": ");
    }
    if (key != null && !key.isEmpty()) {
      line.append(key).append(": ");
    }
    return line.append(problem).toString();
  }
}
