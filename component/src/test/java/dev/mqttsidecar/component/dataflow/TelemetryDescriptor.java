package dev.mqttsidecar.component.dataflow;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.TimestampProto;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test resources' telemetry.desc (made by protoc from telemetry.proto beside it), and its
 * {@code Reading} type built by the tests themselves, so that output is decoded independently of
 * the format's own descriptor loading.
 */
final class TelemetryDescriptor {
  static final String TYPE = "sample.telemetry.Reading";

  private TelemetryDescriptor() {}

  static Path file() throws Exception {
    return Path.of(TelemetryDescriptor.class.getResource("telemetry.desc").toURI());
  }

  static Descriptor reading() throws Exception {
    FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(file()));
    for (FileDescriptorProto proto : set.getFileList()) {
      if (proto.getName().equals("telemetry.proto")) {
        FileDescriptor file =
            FileDescriptor.buildFrom(proto, new FileDescriptor[] {TimestampProto.getDescriptor()});
        return file.findMessageTypeByName("Reading");
      }
    }
    throw new IllegalStateException("no telemetry.proto in " + file());
  }
}
