package dev.mqttsidecar.broker.tls;

import java.nio.file.Path;

/** A TLS file cannot be used; the message names the setting, the file and the problem. */
public final class TlsFileException extends Exception {
  private static final long serialVersionUID = 1L;

  TlsFileException(String setting, Path file, String problem) {
    super(setting + " " + file + ": " + problem);
  }

  TlsFileException(String setting, Path file, String problem, Throwable cause) {
    super(setting + " " + file + ": " + problem, cause);
  }
}
