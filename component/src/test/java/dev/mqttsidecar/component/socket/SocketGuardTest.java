package dev.mqttsidecar.component.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.component.fs.UnsafePathException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock that guards a socket path never follows a symbolic link, and stays private. */
class SocketGuardTest {
  @TempDir Path folder;
  @TempDir Path elsewhere;

  @Test
  void theLockFolderAndFileAreOnlyTheOwners() throws Exception {
    SocketPath path = new SocketPath(folder, "guarded");
    try (SocketGuard guard = SocketGuard.acquire(path)) {
      assertThat(Files.getPosixFilePermissions(path.lockFile().getParent()))
          .isEqualTo(PosixFilePermissions.fromString("rwx------"));
      assertThat(Files.getPosixFilePermissions(path.lockFile()))
          .isEqualTo(PosixFilePermissions.fromString("rw-------"));
      assertThat(Files.readString(path.lockFile()))
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aLockFileThatIsASymbolicLinkIsRefusedAndItsTargetLeftAlone() throws Exception {
    SocketPath path = new SocketPath(folder, "linked");
    Path target = Files.writeString(elsewhere.resolve("precious.txt"), "do not truncate me");
    Files.createDirectories(path.lockFile().getParent());
    Files.createSymbolicLink(path.lockFile(), target);

    assertThatThrownBy(() -> SocketGuard.acquire(path))
        .isInstanceOf(UnsafePathException.class)
        .hasMessage(
            "lock file "
                + path.lockFile()
                + " is a symbolic link; the sidecar never follows a link there: remove it");
    assertThat(Files.readString(target)).isEqualTo("do not truncate me");
  }

  @Test
  void aDanglingLinkIsRefusedAndNothingIsCreatedWhereItPoints() throws Exception {
    SocketPath path = new SocketPath(folder, "dangling");
    Path target = elsewhere.resolve("created-through-the-link");
    Files.createDirectories(path.lockFile().getParent());
    Files.createSymbolicLink(path.lockFile(), target);

    assertThatThrownBy(() -> SocketGuard.acquire(path)).isInstanceOf(UnsafePathException.class);
    assertThat(target).doesNotExist();
  }

  @Test
  void aLockFolderThatIsASymbolicLinkIsRefused() throws Exception {
    SocketPath path = new SocketPath(folder, "folder-linked");
    Files.createSymbolicLink(path.lockFile().getParent(), elsewhere);

    assertThatThrownBy(() -> SocketGuard.acquire(path))
        .isInstanceOf(UnsafePathException.class)
        .hasMessageStartingWith(
            "lock folder " + path.lockFile().getParent() + " is a symbolic link");
    try (var files = Files.list(elsewhere)) {
      assertThat(files).isEmpty();
    }
  }
}
