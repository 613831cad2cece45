package dev.mqttsidecar.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttsidecar.broker.testing.TestPki;
import java.nio.file.Path;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The name a client certificate gives: CN, else DNS, e-mail, URI alternative name. */
class PeerCertificateNameTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void createPki() {
    pki = TestPki.create(dir);
  }

  private static GeneralName dns(String name) {
    return new GeneralName(GeneralName.dNSName, name);
  }

  private static GeneralName email(String name) {
    return new GeneralName(GeneralName.rfc822Name, name);
  }

  private static GeneralName uri(String name) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, name);
  }

  private static String nameOf(String commonName, GeneralName... sans) {
    return PeerCertificateName.of(pki.issueClient("c", commonName, sans).certificate());
  }

  @Test
  void theCommonNameComesFirst() {
    assertThat(nameOf("device-7", dns("other.example"))).isEqualTo("device-7");
    assertThat(PeerCertificateName.of(pki.device1().certificate())).isEqualTo("device-1");
  }

  @Test
  void aCommonNameIsGivenAsWrittenNotEscaped() {
    assertThat(nameOf("Acme\\, Inc. \\+ sensor")).isEqualTo("Acme, Inc. + sensor");
  }

  @Test
  void withoutCommonNameDnsThenEmailThenUri() {
    assertThat(nameOf(null, uri("urn:dev:3"), email("d3@example.com"), dns("d3.example")))
        .isEqualTo("d3.example");
    assertThat(nameOf(null, uri("urn:dev:3"), email("d3@example.com"))).isEqualTo("d3@example.com");
    assertThat(nameOf(null, uri("urn:dev:3"))).isEqualTo("urn:dev:3");
  }

  @Test
  void noNameAtAllIsNull() {
    assertThat(nameOf(null, new GeneralName(GeneralName.iPAddress, "10.0.0.1"))).isNull();
    assertThat(PeerCertificateName.of((javax.net.ssl.SSLSession) null)).isNull();
  }
}
