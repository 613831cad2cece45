package dev.mqttsidecar.state.aio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Resp3Test {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static List<String> read(String payload) throws Resp3.MalformedException {
    List<String> out = new ArrayList<>();
    for (byte[] element : Resp3.readRequest(ascii(payload), 16)) {
      out.add(new String(element, StandardCharsets.US_ASCII));
    }
    return out;
  }

  @Test
  void readsTheProtocolDocumentsExamples() throws Exception {
    assertThat(read("*3\r\n$3\r\nset\r\n$7\r\nSETKEY2\r\n$6\r\nVALUE5\r\n"))
        .containsExactly("set", "SETKEY2", "VALUE5");
    assertThat(read("*2\r\n$3\r\nget\r\n$7\r\nSETKEY2\r\n")).containsExactly("get", "SETKEY2");
    assertThat(read("*3\r\n$4\r\nvdel\r\n$7\r\nSETKEY2\r\n$3\r\nABC\r\n"))
        .containsExactly("vdel", "SETKEY2", "ABC");
  }

  @Test
  void bulkStringsCarryAnyBytesIncludingCrlf() throws Exception {
    assertThat(read("*2\r\n$3\r\nGET\r\n$4\r\na\r\nb\r\n")).containsExactly("GET", "a\r\nb");
    assertThat(read("*1\r\n$0\r\n\r\n")).containsExactly("");
  }

  @Test
  void writesTheDocumentedAnswers() {
    assertThat(Resp3.ok()).isEqualTo(ascii("+OK\r\n"));
    assertThat(Resp3.integer(1)).isEqualTo(ascii(":1\r\n"));
    assertThat(Resp3.integer(-1)).isEqualTo(ascii(":-1\r\n"));
    assertThat(Resp3.nullBulk()).isEqualTo(ascii("$-1\r\n"));
    assertThat(Resp3.bulk(ascii("1234"))).isEqualTo(ascii("$4\r\n1234\r\n"));
    assertThat(Resp3.error("syntax error")).isEqualTo(ascii("-ERR syntax error\r\n"));
    assertThat(Resp3.error("two\r\nlines")).isEqualTo(ascii("-ERR two  lines\r\n"));
  }

  @Test
  void refusesMalformedRequestsSayingWhy() {
    assertMalformed("", "ends early");
    assertMalformed("$3\r\nGET\r\n", "must be a RESP3 array");
    assertMalformed("*0\r\n", "empty");
    assertMalformed("*x\r\n", "not a decimal");
    assertMalformed("*-1\r\n", "not a decimal");
    assertMalformed("*2\r\n$3\r\nGET\r\n", "ends early");
    assertMalformed("*1\r\n*1\r\n$1\r\na\r\n", "must be a bulk string");
    assertMalformed("*1\r\n:1\r\n", "must be a bulk string");
    assertMalformed("*1\r\n$3\r\nGETX\r\n", "CRLF expected");
    assertMalformed("*1\r\n$3\nGET\r\n", "CRLF expected");
    assertMalformed("*1\r\n$3\r\nGET\r\nextra", "after the end");
    assertMalformed("*1\r\n$-1\r\n", "not a decimal");
  }

  @Test
  void refusesOversizedCountsAndLengthsWithoutAllocatingThem() {
    assertMalformed("*17\r\n", "more than 16");
    assertMalformed("*99999999999\r\n", "more than 10 digits");
    assertMalformed("*9999999999\r\n", "too large");
    assertMalformed("*1\r\n$2147483647\r\nabc\r\n", "runs past the end");
    assertMalformed("*1\r\n$6\r\nabc\r\n", "runs past the end");
  }

  @Property
  void writtenArraysReadBackUnchanged(@ForAll @Size(min = 1, max = 16) List<byte[]> elements)
      throws Exception {
    List<byte[]> read = Resp3.readRequest(Resp3.array(elements), 16);
    assertThat(read).hasSameSizeAs(elements);
    for (int i = 0; i < elements.size(); i++) {
      assertThat(read.get(i)).isEqualTo(elements.get(i));
    }
  }

  @Property
  void anyBytesAreReadOrRefusedNeverThrowingOtherwise(@ForAll @Size(max = 64) byte[] payload) {
    try {
      Resp3.readRequest(payload, 16);
    } catch (Resp3.MalformedException expected) {
      // a refusal is the one other outcome
    }
  }

  @Property
  void everyTruncationOfARequestIsRefused(@ForAll @Size(min = 1, max = 4) List<byte[]> elements) {
    byte[] whole = Resp3.array(elements);
    for (int cut = 0; cut < whole.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(whole, cut);
      assertThatThrownBy(() -> Resp3.readRequest(part, 16))
          .isInstanceOf(Resp3.MalformedException.class);
    }
  }

  private static void assertMalformed(String payload, String messagePart) {
    assertThatThrownBy(() -> Resp3.readRequest(ascii(payload), 16))
        .isInstanceOf(Resp3.MalformedException.class)
        .hasMessageContaining(messagePart);
  }
}
