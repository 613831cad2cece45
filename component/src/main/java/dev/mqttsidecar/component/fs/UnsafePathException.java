package dev.mqttsidecar.component.fs;

import java.io.IOException;

/**
 * A folder or file another user could tamper with, or a symbolic link where the sidecar follows
 * none. The message is one line naming the path and the fix.
 */
public final class UnsafePathException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsafePathException(String message) {
    super(message);
  }
}
