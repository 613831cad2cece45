package dev.mqttsidecar.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.Listener;
import dev.mqttsidecar.broker.testing.ErrorLogCapture;
import dev.mqttsidecar.broker.testing.TestPki;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When a listener's context is rebuilt: after its files changed and settled, and only if usable.
 */
class ReloadingSslContextTest {
  @TempDir Path dir;

  private ReloadingSslContext load(TestPki pki) throws Exception {
    return ReloadingSslContext.load(
        new Listener("secure", "127.0.0.1", 0, Listener.Protocol.MQTT, pki.serverTls(true)));
  }

  @Test
  void unchangedFilesKeepTheContext() throws Exception {
    TestPki pki = TestPki.create(dir);
    ReloadingSslContext context = load(pki);
    SslContext first = context.current();
    for (int i = 0; i < 3; i++) {
      assertThat(context.checkForChanges()).isFalse();
    }
    assertThat(context.current()).isSameAs(first);
  }

  @Test
  void changedFilesAreReadOnceTheyStayedTheSameForOneCheck() throws Exception {
    TestPki pki = TestPki.create(dir);
    ReloadingSslContext context = load(pki);
    SslContext first = context.current();
    TestPki.replaceFiles(pki.issueServer("renewed", TestPki.KeyType.EC), pki.server());
    assertThat(context.checkForChanges()).as("first sight of the change").isFalse();
    assertThat(context.current()).isSameAs(first);
    assertThat(context.checkForChanges()).as("unchanged since").isTrue();
    assertThat(context.current()).isNotSameAs(first);
    assertThat(context.checkForChanges()).isFalse();
  }

  @Test
  void aChangedClientCaIsReadToo() throws Exception {
    TestPki pki = TestPki.create(dir);
    ReloadingSslContext context = load(pki);
    Files.writeString(
        pki.ca().cert(),
        Files.readString(pki.ca().cert()) + Files.readString(pki.otherCa().cert()));
    context.checkForChanges();
    assertThat(context.checkForChanges()).isTrue();
  }

  @Test
  void unusableFilesKeepThePreviousContextAndAreReportedOnce() throws Exception {
    TestPki pki = TestPki.create(dir);
    ReloadingSslContext context = load(pki);
    SslContext first = context.current();
    try (ErrorLogCapture errors = ErrorLogCapture.of(ReloadingSslContext.class)) {
      Files.delete(pki.server().key());
      for (int i = 0; i < 4; i++) {
        assertThat(context.checkForChanges()).isFalse();
      }
      assertThat(context.current()).isSameAs(first);
      assertThat(errors.errors())
          .singleElement()
          .asString()
          .contains("listener secure")
          .contains("tls.key " + pki.server().key() + ": no such file");
    }
  }
}
