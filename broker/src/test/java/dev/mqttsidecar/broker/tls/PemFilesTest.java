package dev.mqttsidecar.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttsidecar.broker.testing.TestPki;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificates and keys in the forms certificate tools write, and files that are not. */
class PemFilesTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void createPki() {
    pki = TestPki.create(dir);
  }

  @Test
  void readsTheChainInFileOrder() throws Exception {
    List<X509Certificate> chain = PemFiles.certificates("tls.cert", pki.server().cert());
    assertThat(chain).containsExactly(pki.server().certificate(), pki.ca().certificate());
  }

  @Test
  void readsPkcs8AndTraditionalRsaAndEcKeys() throws Exception {
    TestPki.Credential ec = pki.issueServer("ec", TestPki.KeyType.EC);
    for (TestPki.Credential c : List.of(pki.server(), ec)) {
      assertThat(PemFiles.privateKey("tls.key", c.key())).isEqualTo(c.privateKey());
      assertThat(signsFor(PemFiles.privateKey("tls.key", c.traditionalKey()), c.certificate()))
          .isTrue();
    }
  }

  @Test
  void readsAKeyAfterOtherPemBlocks() throws Exception {
    Path combined = dir.resolve("combined.pem");
    Files.writeString(
        combined,
        Files.readString(pki.device1().cert()) + Files.readString(pki.device1().traditionalKey()));
    assertThat(signsFor(PemFiles.privateKey("tls.key", combined), pki.device1().certificate()))
        .isTrue();
  }

  /** Whether {@code key} is the certificate's (encodings of one key may differ). */
  private static boolean signsFor(PrivateKey key, X509Certificate cert) throws Exception {
    String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(key);
    signer.update(new byte[] {1, 2, 3});
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    verifier.initVerify(cert.getPublicKey());
    verifier.update(new byte[] {1, 2, 3});
    return verifier.verify(signature);
  }

  @Test
  void problemsNameTheSettingTheFileAndWhatIsWrong() throws Exception {
    Path missing = dir.resolve("nope.pem");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    Path broken =
        Files.writeString(
            dir.resolve("broken.pem"),
            "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> PemFiles.certificates("tls.cert", missing))
        .hasMessage("tls.cert " + missing + ": no such file");
    assertThatThrownBy(() -> PemFiles.certificates("tls.clientCa", empty))
        .hasMessage("tls.clientCa " + empty + ": no PEM certificate (BEGIN CERTIFICATE) in it");
    assertThatThrownBy(() -> PemFiles.certificates("tls.cert", broken))
        .hasMessageStartingWith("tls.cert " + broken + ": ");
    assertThatThrownBy(() -> PemFiles.privateKey("tls.key", pki.server().cert()))
        .hasMessage(
            "tls.key "
                + pki.server().cert()
                + ": no PEM private key (BEGIN ... PRIVATE KEY) in it");
  }

  @Test
  void anEncryptedKeyIsRefusedWithAReason() throws Exception {
    OutputEncryptor encryptor =
        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
            .setProvider(new BouncyCastleProvider()) // the JDK lacks the cipher name BC asks for
            .setPassword("secret".toCharArray())
            .build();
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(new JcaPKCS8Generator(pki.device1().privateKey(), encryptor));
    }
    Path encrypted = Files.writeString(dir.resolve("encrypted.key"), out.toString());
    assertThatThrownBy(() -> PemFiles.privateKey("tls.key", encrypted))
        .hasMessage(
            "tls.key "
                + encrypted
                + ": the private key is encrypted; a key without passphrase is"
                + " needed");
  }
}
