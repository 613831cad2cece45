package dev.mqttsidecar.component.dataflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Protobuf output decoded back with protobuf's own parser and the descriptor set made by protoc
 * from telemetry.proto (beside telemetry.desc in the test resources), compared field by field.
 */
class ProtobufFormatTest {
  private static final String TYPE = TelemetryDescriptor.TYPE;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static Path descriptorSet() throws Exception {
    return TelemetryDescriptor.file();
  }

  private static byte[] convert(ProtobufFormat format, String payload) throws Exception {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    return format.convert(bytes, JSON.readTree(bytes));
  }

  @Test
  void jsonBecomesTheMessageFieldByField() throws Exception {
    ProtobufFormat format = ProtobufFormat.load(descriptorSet(), TYPE, false);

    byte[] out =
        convert(
            format,
            "{\"deviceId\":\"d-1\",\"temperature\":21.5,\"sequence\":\"9007199254740993\","
                + "\"alarm\":true,\"status\":\"STATUS_FAULT\","
                + "\"location\":{\"site\":\"s1\",\"floor\":3},\"samples\":[1,2,3],"
                + "\"time\":\"2026-12-04T10:15:30Z\"}");

    Descriptor type = TelemetryDescriptor.reading();
    DynamicMessage m = DynamicMessage.parseFrom(type, out);
    assertThat(m.getField(type.findFieldByName("device_id"))).isEqualTo("d-1");
    assertThat(m.getField(type.findFieldByName("temperature"))).isEqualTo(21.5);
    assertThat(m.getField(type.findFieldByName("sequence"))).isEqualTo(9007199254740993L);
    assertThat(m.getField(type.findFieldByName("alarm"))).isEqualTo(true);
    assertThat(
            ((com.google.protobuf.Descriptors.EnumValueDescriptor)
                    m.getField(type.findFieldByName("status")))
                .getName())
        .isEqualTo("STATUS_FAULT");
    Message location = (Message) m.getField(type.findFieldByName("location"));
    FieldDescriptor site = location.getDescriptorForType().findFieldByName("site");
    FieldDescriptor floor = location.getDescriptorForType().findFieldByName("floor");
    assertThat(location.getField(site)).isEqualTo("s1");
    assertThat(location.getField(floor)).isEqualTo(3);
    assertThat(m.getField(type.findFieldByName("samples"))).isEqualTo(List.of(1, 2, 3));
    Message time = (Message) m.getField(type.findFieldByName("time"));
    assertThat(time.getField(time.getDescriptorForType().findFieldByName("seconds")))
        .isEqualTo(1796379330L);
    assertThat(format.contentType()).isEqualTo("application/x-protobuf");
  }

  @Test
  void fieldNamesAsInTheProtoFileAreAcceptedToo() throws Exception {
    ProtobufFormat format = ProtobufFormat.load(descriptorSet(), TYPE, false);

    Descriptor type = TelemetryDescriptor.reading();
    DynamicMessage m = DynamicMessage.parseFrom(type, convert(format, "{\"device_id\":\"d-2\"}"));

    assertThat(m.getField(type.findFieldByName("device_id"))).isEqualTo("d-2");
  }

  @Test
  void unknownFieldsAreRefusedOrIgnoredAsConfigured() throws Exception {
    String payload = "{\"deviceId\":\"d-1\",\"humidity\":40}";

    assertThatThrownBy(() -> convert(ProtobufFormat.load(descriptorSet(), TYPE, false), payload))
        .isInstanceOf(FlowMessageException.class)
        .hasMessageContaining("cannot convert to sample.telemetry.Reading")
        .hasMessageContaining("humidity");
    ProtobufFormat ignoring = ProtobufFormat.load(descriptorSet(), TYPE, true);
    Descriptor type = TelemetryDescriptor.reading();
    DynamicMessage m = DynamicMessage.parseFrom(type, convert(ignoring, payload));
    assertThat(m.getField(type.findFieldByName("device_id"))).isEqualTo("d-1");
    assertThat(m.getUnknownFields().asMap()).isEmpty();
  }

  @Test
  void aValueOfTheWrongTypeOrNoObjectCannotBeConverted() throws Exception {
    ProtobufFormat format = ProtobufFormat.load(descriptorSet(), TYPE, true);

    assertThatThrownBy(() -> convert(format, "{\"temperature\":\"warm\"}"))
        .isInstanceOf(FlowMessageException.class)
        .hasMessageContaining("cannot convert to sample.telemetry.Reading");
    assertThatThrownBy(() -> convert(format, "[1,2]"))
        .isInstanceOf(FlowMessageException.class)
        .hasMessage("Protobuf needs a JSON object for sample.telemetry.Reading, found ARRAY");
  }

  @Test
  void aMessageTypeTheSetDoesNotHaveNamesTheOnesItHas() {
    assertThatThrownBy(() -> ProtobufFormat.load(descriptorSet(), "sample.Reading", false))
        .isInstanceOf(FormatSettingException.class)
        .hasMessageContaining("no message 'sample.Reading' in")
        .hasMessageContaining("sample.telemetry.Reading.Location")
        .extracting(e -> ((FormatSettingException) e).key())
        .isEqualTo("protobuf.messageType");
  }

  @Test
  void aFileThatIsNoDescriptorSetOrLacksAnImportIsRefusedAtStart() throws Exception {
    Path notASet = Files.writeString(dir.resolve("telemetry.proto"), "syntax = \"proto3\";");
    assertThatThrownBy(() -> ProtobufFormat.load(notASet, TYPE, false))
        .isInstanceOf(FormatSettingException.class)
        .hasMessageContaining("cannot read " + notASet + " as a descriptor set")
        .extracting(e -> ((FormatSettingException) e).key())
        .isEqualTo("protobuf.descriptorFile");

    FileDescriptorSet full = FileDescriptorSet.parseFrom(Files.readAllBytes(descriptorSet()));
    FileDescriptorSet withoutImports =
        FileDescriptorSet.newBuilder()
            .addAllFile(
                full.getFileList().stream()
                    .filter(f -> !f.getName().startsWith("google/"))
                    .toList())
            .build();
    Path partial = Files.write(dir.resolve("partial.desc"), withoutImports.toByteArray());
    assertThatThrownBy(() -> ProtobufFormat.load(partial, TYPE, false))
        .isInstanceOf(FormatSettingException.class)
        .hasMessage(
            partial
                + " lacks 'google/protobuf/timestamp.proto', imported by 'telemetry.proto';"
                + " make it with protoc --include_imports");
  }
}
