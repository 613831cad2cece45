package dev.mqttsidecar.component.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.component.testing.SidecarProcess;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar carries the native libraries of both Linux platforms it supports, each built for
 * the CPU its name says (the ELF header's machine field), so the same jar starts on x86-64 and on
 * arm64 with epoll, BoringSSL and RocksDB.
 */
class ShadedJarNativesIT {
  private static final int X86_64 = 62;
  private static final int AARCH64 = 183;

  private static final Map<String, Integer> NATIVES =
      Map.of(
          "META-INF/native/libnetty_transport_native_epoll_x86_64.so", X86_64,
          "META-INF/native/libnetty_transport_native_epoll_aarch_64.so", AARCH64,
          "META-INF/native/libnetty_tcnative_linux_x86_64.so", X86_64,
          "META-INF/native/libnetty_tcnative_linux_aarch_64.so", AARCH64,
          "librocksdbjni-linux64.so", X86_64,
          "librocksdbjni-linux-aarch64.so", AARCH64);

  @Test
  void bothLinuxPlatformsNativesAreInTheJar() throws IOException {
    try (JarFile jar = new JarFile(SidecarProcess.JAR.toFile())) {
      for (Map.Entry<String, Integer> expected : NATIVES.entrySet()) {
        ZipEntry entry = jar.getEntry(expected.getKey());
        assertThat(entry).as(expected.getKey()).isNotNull();
        try (InputStream in = jar.getInputStream(entry)) {
          assertThat(elfMachine(in.readNBytes(20)))
              .as("CPU of %s", expected.getKey())
              .isEqualTo(expected.getValue());
        }
      }
    }
  }

  /** e_machine of a little-endian ELF file: two bytes at offset 18. */
  private static int elfMachine(byte[] header) {
    assertThat(header).startsWith(0x7f, 'E', 'L', 'F');
    assertThat(header[5]).as("little-endian").isEqualTo((byte) 1);
    return (header[18] & 0xff) | (header[19] & 0xff) << 8;
  }
}
