package dev.mqttsidecar.broker.testing;

import dev.mqttsidecar.broker.Listener;
import io.netty.handler.ssl.util.SimpleKeyManagerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * A throw-away PKI for TLS tests, generated in memory and written as PEM files into a folder:
 *
 * <ul>
 *   <li>{@link #ca()}: the CA that signs the server and the trusted clients (the listener's {@code
 *       tls.clientCa}, and what clients trust);
 *   <li>{@link #server()}: {@code CN=localhost} with subject alternative names DNS {@code
 *       localhost} and IP {@code 127.0.0.1}, an RSA key;
 *   <li>{@link #device1()}: a valid client, {@code CN=device-1};
 *   <li>{@link #expiredClient()}: {@code CN=expired-device}, expired yesterday;
 *   <li>{@link #foreignClient()}: {@code CN=foreign-device}, signed by another CA;
 *   <li>{@link #sanOnlyClient()}: no CN, DNS name {@code device-2.example}.
 * </ul>
 *
 * Each {@link Credential} has its certificate file (the certificate, then its issuer's) and its key
 * twice: PKCS#8 ({@code BEGIN PRIVATE KEY}) and the traditional OpenSSL form ({@code BEGIN RSA
 * PRIVATE KEY} for RSA, {@code BEGIN EC PRIVATE KEY} for EC). Clients have EC P-256 keys.
 */
public final class TestPki {
  /** A key type for {@link #issueServer}. */
  public enum KeyType {
    RSA,
    EC
  }

  /**
   * A certificate with its files.
   *
   * @param cert PEM: this certificate, then the issuer's (none for a CA)
   * @param key PEM PKCS#8 private key
   * @param traditionalKey PEM private key in the traditional OpenSSL form (PKCS#1 or SEC1)
   */
  public record Credential(
      String name,
      Path cert,
      Path key,
      Path traditionalKey,
      X509Certificate certificate,
      PrivateKey privateKey) {

    /** The certificate's serial number: tells two certificates for the same name apart. */
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }

    /**
     * A key manager that always presents this certificate, whichever CAs the server says it
     * accepts: the JDK's own would silently send none when the issuer is not among them, and a test
     * would see the client's choice instead of the server's verdict.
     */
    public KeyManagerFactory keyManagerFactory() {
      X509ExtendedKeyManager manager = new AlwaysPresentKeyManager(certificate, privateKey);
      return new SimpleKeyManagerFactory() {
        @Override
        protected void engineInit(KeyStore keyStore, char[] password) {}

        @Override
        protected void engineInit(ManagerFactoryParameters params) {}

        @Override
        protected KeyManager[] engineGetKeyManagers() {
          return new KeyManager[] {manager};
        }
      };
    }
  }

  static final SecureRandom RANDOM = new SecureRandom();
  static final Duration VALIDITY = Duration.ofDays(2);
  private static final ExtendedKeyUsage CLIENT =
      new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth);

  private final Path dir;
  private final TestCertificateAuthority ca;
  private final TestCertificateAuthority otherCa;
  private final Credential server;
  private final Credential device1;
  private final Credential expiredClient;
  private final Credential foreignClient;
  private final Credential sanOnlyClient;

  private TestPki(Path dir) {
    this.dir = dir;
    this.ca = TestCertificateAuthority.selfSigned(dir, "ca", "mqtt-sidecar test CA");
    this.otherCa = TestCertificateAuthority.selfSigned(dir, "other-ca", "another test CA");
    this.server = issueServer("server", KeyType.RSA);
    this.device1 = issueClient("device-1", "device-1");
    this.expiredClient =
        ca.issue(
            dir,
            "expired",
            new X500Name("CN=expired-device"),
            CLIENT,
            null,
            KeyType.EC,
            Instant.now().minus(Duration.ofDays(1)));
    this.foreignClient =
        otherCa.issue(
            dir, "foreign", new X500Name("CN=foreign-device"), CLIENT, null, KeyType.EC, validTo());
    this.sanOnlyClient =
        issueClient("san-only", null, new GeneralName(GeneralName.dNSName, "device-2.example"));
  }

  /** Generates the PKI and writes its files into {@code dir} (a test's temporary folder). */
  public static TestPki create(Path dir) {
    return new TestPki(dir);
  }

  /** The trusted CA; its {@link Credential#cert()} is the bundle for {@code tls.clientCa}. */
  public Credential ca() {
    return ca.credential();
  }

  /** A CA nobody trusts. */
  public Credential otherCa() {
    return otherCa.credential();
  }

  public Credential server() {
    return server;
  }

  public Credential device1() {
    return device1;
  }

  public Credential expiredClient() {
    return expiredClient;
  }

  public Credential foreignClient() {
    return foreignClient;
  }

  public Credential sanOnlyClient() {
    return sanOnlyClient;
  }

  /**
   * A new server certificate for {@code localhost} and {@code 127.0.0.1}, signed by {@link #ca()},
   * written as {@code <fileName>.pem} and {@code <fileName>.key} (and {@code
   * <fileName>.traditional.key}): another serial number than every earlier one.
   */
  public Credential issueServer(String fileName, KeyType keyType) {
    return ca.issue(
        dir,
        fileName,
        new X500Name("CN=localhost"),
        new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth),
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            }),
        keyType,
        validTo());
  }

  /**
   * A new client certificate signed by {@link #ca()}.
   *
   * @param commonName the subject's CN, or null for a subject without one ({@code O=mqtt-sidecar
   *     tests})
   * @param alternativeNames subject alternative names, such as {@code new
   *     GeneralName(GeneralName.rfc822Name, "a@example.com")}
   */
  public Credential issueClient(
      String fileName, String commonName, GeneralName... alternativeNames) {
    X500Name subject =
        new X500Name(commonName == null ? "O=mqtt-sidecar tests" : "CN=" + commonName);
    GeneralNames sans = alternativeNames.length == 0 ? null : new GeneralNames(alternativeNames);
    return ca.issue(dir, fileName, subject, CLIENT, sans, KeyType.EC, validTo());
  }

  /**
   * Listener TLS settings with {@link #server()}'s files and, as {@code tls.clientCa}, {@link
   * #ca()}.
   */
  public Listener.Tls serverTls(boolean requireClientCert) {
    return new Listener.Tls(server.cert(), server.key(), ca().cert(), requireClientCert);
  }

  /** A trust manager for clients: trusts {@link #ca()} only. */
  public TrustManagerFactory trustManagerFactory() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", ca().certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      return tmf;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A JDK TLS context for raw clients: trusts {@link #ca()} and presents {@code client}'s
   * certificate, or none when null.
   */
  public SSLContext sslContext(Credential client) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          client == null ? null : client.keyManagerFactory().getKeyManagers(),
          trustManagerFactory().getTrustManagers(),
          RANDOM);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Replaces the files of {@code target} with those of {@code source}, each by an atomic rename as
   * deployment tools do, so a reader never sees half a file.
   */
  public static void replaceFiles(Credential source, Credential target) {
    try {
      for (Path[] pair :
          new Path[][] {{source.cert(), target.cert()}, {source.key(), target.key()}}) {
        Path tmp = pair[1].resolveSibling(pair[1].getFileName() + ".tmp");
        Files.copy(pair[0], tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            tmp, pair[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Instant validTo() {
    return Instant.now().plus(VALIDITY);
  }
}
