package dev.mqttsidecar.security.jwt;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Tells a JSON Web Token in the CONNECT password from an ordinary password: three base64url parts
 * (RFC 7519 compact form) whose first decodes to a JOSE header naming an algorithm. A password such
 * as {@code my.secret.word} has the three parts but no header, so it stays a password.
 */
public final class TokenShape {
  // The signature part may be empty: an unsigned token ("alg":"none") is still a token, and the
  // verifier refuses it as such.
  private static final Pattern COMPACT =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private TokenShape() {}

  /** The token text if {@code password} is one, else null. */
  public static String asToken(byte[] password) {
    if (password == null || password.length < 5) {
      return null;
    }
    String text = new String(password, StandardCharsets.US_ASCII);
    if (!COMPACT.matcher(text).matches()) {
      return null;
    }
    try {
      Header.parse(new Base64URL(text.substring(0, text.indexOf('.'))));
      return text;
    } catch (java.text.ParseException | RuntimeException e) {
      return null;
    }
  }
}
