package dev.mqttsidecar.component.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders other users could tamper with are refused; missing ones are created private. */
class OwnedFolderTest {
  /** An owner that is neither root nor whoever runs the tests. */
  private static final int STRANGER = 4242;

  @TempDir Path dir;

  private static OwnedFolder.Rule rule(boolean stickyBitSuffices, boolean allowWorldWritable) {
    return new OwnedFolder.Rule(
        "socket folder",
        PosixFilePermissions.fromString("rwxr-x---"),
        stickyBitSuffices,
        allowWorldWritable,
        ", or say so");
  }

  private Path folderWithMode(String name, int mode) throws Exception {
    Path folder = Files.createDirectory(dir.resolve(name));
    Files.setAttribute(folder, "unix:mode", mode);
    return folder;
  }

  private static boolean runningAsRoot() throws Exception {
    return ProcessUser.uid() == 0;
  }

  @Test
  void aMissingFolderIsCreatedWithTheRulesMode() throws Exception {
    Path folder = dir.resolve("a").resolve("b");
    OwnedFolder.prepare(folder, rule(true, false));
    assertThat(Files.getPosixFilePermissions(folder))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
  }

  @Test
  void aFolderEveryUserMayWriteIsRefusedWithTheFix() throws Exception {
    Path folder = folderWithMode("open", 0777);
    assertThatThrownBy(() -> OwnedFolder.prepare(folder, rule(true, false)))
        .isInstanceOf(UnsafePathException.class)
        .hasMessage(
            "socket folder "
                + folder
                + " is writable by every user (mode 0777), so another user could replace what"
                + " the sidecar keeps there; run chmod o-w "
                + folder
                + ", or say so");
  }

  @Test
  void theStickyBitMakesAWorldWritableFolderAcceptableWhereTheRuleSaysSo() throws Exception {
    Path folder = folderWithMode("like-tmp", 01777);
    assertThatCode(() -> OwnedFolder.check(folder, rule(true, false))).doesNotThrowAnyException();
    assertThatThrownBy(() -> OwnedFolder.check(folder, rule(false, false)))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageContaining("(mode 1777)");
  }

  @Test
  void aWorldWritableFolderAllowedOnPurposeIsAccepted() throws Exception {
    Path folder = folderWithMode("shared", 0777);
    assertThatCode(() -> OwnedFolder.check(folder, rule(false, true))).doesNotThrowAnyException();
  }

  @Test
  void aGroupWritableFolderIsAccepted() throws Exception {
    Path folder = folderWithMode("group", 0770);
    assertThatCode(() -> OwnedFolder.check(folder, rule(false, false))).doesNotThrowAnyException();
  }

  @Test
  void aFileIsNotAFolder() throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    assertThatThrownBy(() -> OwnedFolder.prepare(file, rule(true, false)))
        .isInstanceOf(UnsafePathException.class)
        .hasMessage("socket folder " + file + " is not a directory");
  }

  @Test
  void aFolderOfAnotherUserIsRefused() throws Exception {
    assumeTrue(runningAsRoot(), "only root can give a folder away");
    Path folder = folderWithMode("theirs", 0755);
    Files.setAttribute(folder, "unix:uid", STRANGER);
    assertThatThrownBy(() -> OwnedFolder.check(folder, rule(true, false)))
        .isInstanceOf(UnsafePathException.class)
        .hasMessage(
            "socket folder "
                + folder
                + " belongs to uid 4242; it must belong to the user running the sidecar (uid 0)"
                + " or to root");
  }

  @Test
  void aLinkOfAnotherUserToAFolderOfOursIsRefused() throws Exception {
    assumeTrue(runningAsRoot(), "only root can give a link away");
    Path target = folderWithMode("ours", 0750);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    Files.setAttribute(link, "unix:uid", STRANGER, LinkOption.NOFOLLOW_LINKS);
    assertThatThrownBy(() -> OwnedFolder.check(link, rule(true, false)))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageStartingWith("socket folder link " + link + " belongs to uid 4242");
    Files.setAttribute(link, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
    assertThatCode(() -> OwnedFolder.check(link, rule(true, false))).doesNotThrowAnyException();
  }
}
