package dev.mqttsidecar.broker.tls;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The name a verified client certificate gives its client: the subject's common name (CN) or,
 * without one, its first subject alternative name: DNS name, then e-mail address, then URI.
 */
public final class PeerCertificateName {
  private static final int EMAIL = 1;
  private static final int DNS = 2;
  private static final int URI = 6;

  private PeerCertificateName() {}

  /**
   * The client certificate's name, or null when the client sent no certificate (the handshake
   * refuses one that does not verify, so any certificate here is verified).
   */
  public static String of(SSLSession session) {
    if (session == null) {
      return null;
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
    if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
      return null;
    }
    return of(cert);
  }

  /** The certificate's CN, else its first DNS, e-mail or URI alternative name, else null. */
  public static String of(X509Certificate cert) {
    String cn = commonName(cert);
    if (cn != null) {
      return cn;
    }
    for (int type : new int[] {DNS, EMAIL, URI}) {
      String name = alternativeName(cert, type);
      if (name != null) {
        return name;
      }
    }
    return null;
  }

  private static String commonName(X509Certificate cert) {
    X500Name subject = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
    for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
      for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
        if (atv.getType().equals(BCStyle.CN)) {
          // The plain value: valueToString would escape characters such as ',' for a DN.
          String value =
              atv.getValue() instanceof ASN1String text
                  ? text.getString()
                  : IETFUtils.valueToString(atv.getValue());
          if (!value.isBlank()) {
            return value;
          }
        }
      }
    }
    return null;
  }

  private static String alternativeName(X509Certificate cert, int type) {
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return null;
    }
    if (names == null) {
      return null;
    }
    for (List<?> name : names) {
      if (name.size() >= 2
          && name.get(0) instanceof Integer t
          && t == type
          && name.get(1) instanceof String value) {
        return value;
      }
    }
    return null;
  }
}
