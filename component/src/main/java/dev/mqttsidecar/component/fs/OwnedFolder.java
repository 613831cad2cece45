package dev.mqttsidecar.component.fs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A folder whose contents only this process's user controls: created with a private mode when
 * missing, and refused when another user owns it or every user may write it. Such a user could
 * replace the component socket with one of their own, and daprd would hand them the app's messages
 * and state; or rewrite the store under the broker. Only the folder itself is checked, not its
 * parents: {@code /tmp} is writable by everyone by design.
 */
public final class OwnedFolder {
  private static final int OTHERS_WRITE = 0002;
  private static final int STICKY = 01000;

  /**
   * How to treat a folder.
   *
   * @param what how messages name it, such as "socket folder"
   * @param createMode the mode a missing folder (and missing parents) is created with
   * @param stickyBitSuffices accept a folder every user may write when its sticky bit is set (as on
   *     {@code /tmp}): then only the owner of a file may remove or rename it
   * @param allowWorldWritable accept a folder every user may write, on purpose
   * @param worldWritableHint appended to the refusal of a folder every user may write, or empty
   */
  public record Rule(
      String what,
      Set<PosixFilePermission> createMode,
      boolean stickyBitSuffices,
      boolean allowWorldWritable,
      String worldWritableHint) {}

  private OwnedFolder() {}

  /**
   * Creates {@code folder} if it is missing, then checks it.
   *
   * @throws UnsafePathException when another user owns the folder or may write it
   */
  public static void prepare(Path folder, Rule rule) throws IOException {
    if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.createDirectories(
            folder, PosixFilePermissions.asFileAttribute(Set.copyOf(rule.createMode())));
      } catch (FileAlreadyExistsException racedOrNotADirectory) {
        // checked below either way
      }
    }
    check(folder, rule);
  }

  /**
   * Checks an existing folder.
   *
   * @throws UnsafePathException when it is not a directory, another user owns it (or owns the
   *     symbolic link it is reached through) or may write it
   */
  public static void check(Path folder, Rule rule) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new UnsafePathException(rule.what() + " " + folder + " is not a directory");
    }
    if (Files.isSymbolicLink(folder)) {
      requireTrustedOwner(folder, rule.what() + " link", LinkOption.NOFOLLOW_LINKS);
    }
    requireTrustedOwner(folder, rule.what());
    int mode = (Integer) Files.getAttribute(folder, "unix:mode");
    boolean othersWrite = (mode & OTHERS_WRITE) != 0;
    boolean sticky = (mode & STICKY) != 0;
    if (othersWrite && !rule.allowWorldWritable() && !(sticky && rule.stickyBitSuffices())) {
      throw new UnsafePathException(
          rule.what()
              + " "
              + folder
              + " is writable by every user (mode "
              + String.format("%04o", mode & 07777)
              + "), so another user could replace what the sidecar keeps there; run chmod o-w "
              + folder
              + rule.worldWritableHint());
    }
  }

  private static void requireTrustedOwner(Path path, String what, LinkOption... options)
      throws IOException {
    int owner = (Integer) Files.getAttribute(path, "unix:uid", options);
    int self = ProcessUser.uid();
    if (owner != self && owner != 0) {
      String name = Files.getOwner(path, options).getName();
      String user =
          name.equals(Integer.toString(owner)) ? "uid " + owner : name + " (uid " + owner + ")";
      throw new UnsafePathException(
          what
              + " "
              + path
              + " belongs to "
              + user
              + "; it must belong to the user running the sidecar (uid "
              + self
              + ") or to root");
    }
  }
}
