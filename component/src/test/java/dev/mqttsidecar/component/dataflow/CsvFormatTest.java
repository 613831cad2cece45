package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CSV output read back with jackson-dataformat-csv's reader and compared cell by cell. */
class CsvFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CsvMapper CSV = new CsvMapper();

  private static byte[] convert(CsvFormat format, String payload) throws Exception {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return format.convert(bytes, JSON.readTree(bytes));
  }

  private static List<Map<String, String>> readWithHeader(byte[] csv) throws Exception {
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class)
            .with(CsvSchema.emptySchema().withHeader())
            .readValues(csv)) {
      return rows.readAll();
    }
  }

  @Test
  void anObjectIsOneRowWithFlattenedColumns() throws Exception {
    byte[] csv =
        convert(
            new CsvFormat(true, List.of()),
            "{\"device\":\"d-1\",\"temp\":21.5,\"ok\":true,\"none\":null,"
                + "\"location\":{\"site\":\"plant, north\",\"pos\":{\"x\":1}},\"tags\":[\"a\",\"b\"]}");

    assertThat(readWithHeader(csv))
        .containsExactly(
            Map.of(
                "device", "d-1",
                "temp", "21.5",
                "ok", "true",
                "none", "",
                "location.site", "plant, north",
                "location.pos.x", "1",
                "tags.0", "a",
                "tags.1", "b"));
    assertThat(new String(csv, StandardCharsets.UTF_8))
        .startsWith("device,temp,ok,none,location.site,location.pos.x,tags.0,tags.1\n");
  }

  @Test
  void anArrayOfObjectsIsOneRowEachWithTheUnionOfTheirFields() throws Exception {
    byte[] csv =
        convert(
            new CsvFormat(true, List.of()),
            "[{\"device\":\"d-1\",\"temp\":20},{\"device\":\"d-2\",\"humidity\":40}]");

    assertThat(readWithHeader(csv))
        .containsExactly(
            Map.of("device", "d-1", "temp", "20", "humidity", ""),
            Map.of("device", "d-2", "temp", "", "humidity", "40"));
  }

  @Test
  void configuredColumnsWithoutHeaderKeepTheirOrderAndLeaveOutOtherFields() throws Exception {
    byte[] csv =
        convert(
            new CsvFormat(false, List.of("location.site", "device", "missing")),
            "{\"device\":\"d-1\",\"temp\":21.5,\"location\":{\"site\":\"s1\"}}");

    CsvSchema schema =
        CsvSchema.builder()
            .addColumn("location.site")
            .addColumn("device")
            .addColumn("missing")
            .build();
    try (MappingIterator<Map<String, String>> rows =
        CSV.readerForMapOf(String.class).with(schema).readValues(csv)) {
      assertThat(rows.readAll())
          .containsExactly(Map.of("location.site", "s1", "device", "d-1", "missing", ""));
    }
    assertThat(new String(csv, StandardCharsets.UTF_8)).isEqualTo("s1,d-1,\n");
  }

  @Test
  void aValueThatIsNoObjectCannotBeARow() {
    CsvFormat format = new CsvFormat(true, List.of());

    assertThatThrownBy(() -> convert(format, "[{\"a\":1}, 2]"))
        .isInstanceOf(FlowMessageException.class)
        .hasMessage("CSV needs a JSON object or an array of objects, found NUMBER");
    assertThatThrownBy(() -> convert(format, "\"text\"")).isInstanceOf(FlowMessageException.class);
    assertThat(format.contentType()).isEqualTo("text/csv");
  }
}
