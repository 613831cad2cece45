package dev.mqttsidecar.component.config;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Unix permission mode written in octal, as {@code chmod} takes it ({@code "0660"}). Only the
 * nine permission bits: set-user-id, set-group-id and sticky mean nothing for a socket file.
 */
public final class FileMode {
  private static final Pattern OCTAL = Pattern.compile("0?[0-7]{3}");

  /** In the order of the bits from 0400 down to 0001. */
  private static final PosixFilePermission[] BITS = {
    PosixFilePermission.OWNER_READ,
    PosixFilePermission.OWNER_WRITE,
    PosixFilePermission.OWNER_EXECUTE,
    PosixFilePermission.GROUP_READ,
    PosixFilePermission.GROUP_WRITE,
    PosixFilePermission.GROUP_EXECUTE,
    PosixFilePermission.OTHERS_READ,
    PosixFilePermission.OTHERS_WRITE,
    PosixFilePermission.OTHERS_EXECUTE
  };

  private FileMode() {}

  /**
   * Parses {@code "0660"} or {@code "660"}.
   *
   * @throws IllegalArgumentException naming what is expected
   */
  public static Set<PosixFilePermission> parse(String text) {
    if (text == null || !OCTAL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "must be an octal file mode such as \"0660\", was '" + text + "'");
    }
    int bits = Integer.parseInt(text, 8);
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    for (int i = 0; i < BITS.length; i++) {
      if ((bits & (0400 >> i)) != 0) {
        permissions.add(BITS[i]);
      }
    }
    return Set.copyOf(permissions);
  }

  /** The octal spelling, such as {@code "0660"}. */
  public static String format(Set<PosixFilePermission> permissions) {
    int bits = 0;
    for (int i = 0; i < BITS.length; i++) {
      if (permissions.contains(BITS[i])) {
        bits |= 0400 >> i;
      }
    }
    return String.format("0%03o", bits);
  }
}
