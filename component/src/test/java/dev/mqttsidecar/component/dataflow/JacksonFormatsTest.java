package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** JSONStream, CBOR and MessagePack, each read back by Jackson's own reader for the format. */
class JacksonFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SAMPLE =
      "{\"device\":\"d-1\",\"temperature\":21.5,\"count\":7,\"big\":9007199254740993,"
          + "\"ok\":true,\"none\":null,\"tags\":[\"a\",\"b\"],\"location\":{\"site\":\"s1\",\"floor\":3}}";

  private static byte[] convert(String format, String payload) throws Exception {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    JsonNode json;
    try {
      json = JSON.readTree(bytes);
    } catch (Exception e) {
      json = null;
    }
    return OutputFormat.named(format).convert(bytes, json);
  }

  @Test
  void cborReadsBackAsTheSameFields() throws Exception {
    JsonNode decoded = new ObjectMapper(new CBORFactory()).readTree(convert("CBOR", SAMPLE));

    assertThat(decoded).isEqualTo(JSON.readTree(SAMPLE));
    assertThat(decoded.get("big").asLong()).isEqualTo(9007199254740993L);
    assertThat(OutputFormat.named("CBOR").contentType()).isEqualTo("application/cbor");
  }

  @Test
  void messagePackReadsBackAsTheSameFields() throws Exception {
    JsonNode decoded =
        new ObjectMapper(new MessagePackFactory()).readTree(convert("MessagePack", SAMPLE));

    assertThat(decoded).isEqualTo(JSON.readTree(SAMPLE));
    assertThat(decoded.get("location").get("floor").asInt()).isEqualTo(3);
    assertThat(OutputFormat.named("MessagePack").contentType()).isEqualTo("application/msgpack");
  }

  @Test
  void jsonStreamWritesOneLinePerArrayElement() throws Exception {
    String array = "[" + SAMPLE + ",{\"device\":\"d-2\"},[1,2],\"text\"]";

    String out = new String(convert("JSONStream", array), StandardCharsets.UTF_8);

    assertThat(out).endsWith("\n").hasLineCount(4);
    try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(out)) {
      assertThat(lines.readAll()).containsExactlyElementsOf(List.copyOf(readArray(array)));
    }
    for (String line : out.split("\n")) {
      assertThat(JSON.readTree(line)).isNotNull(); // each line is a JSON value by itself
    }
  }

  @Test
  void jsonStreamWritesAnObjectAsOneLine() throws Exception {
    String out = new String(convert("JSONStream", SAMPLE), StandardCharsets.UTF_8);

    assertThat(out).isEqualTo(JSON.writeValueAsString(JSON.readTree(SAMPLE)) + "\n");
    assertThat(OutputFormat.named("JSONStream").contentType()).isEqualTo("application/x-ndjson");
  }

  @Test
  void anEmptyArrayIsAnEmptyStream() throws Exception {
    assertThat(convert("JSONStream", "[]")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"JSON", "JSONStream", "CSV", "MessagePack", "CBOR"})
  void aPayloadThatIsNotJsonCannotBeConverted(String format) {
    assertThatThrownBy(() -> convert(format, "{\"device\": "))
        .isInstanceOf(FlowMessageException.class)
        .hasMessageContaining("not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"JSON", "JSONStream", "CSV", "MessagePack", "CBOR"})
  void anEmptyPayloadIsNoJson(String format) {
    assertThatThrownBy(() -> convert(format, ""))
        .isInstanceOf(FlowMessageException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void anUnknownFormatNamesTheChoices() {
    assertThatThrownBy(() -> OutputFormat.named("Avro"))
        .isInstanceOf(FormatSettingException.class)
        .hasMessage(
            "must be one of Raw, JSON, JSONStream, CSV, Protobuf, MessagePack, CBOR, was 'Avro'")
        .extracting(e -> ((FormatSettingException) e).key())
        .isEqualTo("format");
  }

  private static List<JsonNode> readArray(String array) throws Exception {
    List<JsonNode> elements = new java.util.ArrayList<>();
    JSON.readTree(array).forEach(elements::add);
    return elements;
  }
}
