package dev.mqttsidecar.component.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The console's static files, from the jar's {@code /console/} resources. Only plain file names
 * with a known extension are served, so no path can reach another resource.
 */
public final class ConsoleAssets {
  private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(html|css|js|svg)");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml");

  private ConsoleAssets() {}

  /** The file {@code name} ("" for the page itself), or empty when there is none. */
  public static Optional<ConsoleResponse> file(String name) {
    String file = name.isEmpty() ? "index.html" : name;
    if (!NAME.matcher(file).matches()) {
      return Optional.empty();
    }
    try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + file)) {
      if (in == null) {
        return Optional.empty();
      }
      String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
      return Optional.of(new ConsoleResponse(200, type, in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
