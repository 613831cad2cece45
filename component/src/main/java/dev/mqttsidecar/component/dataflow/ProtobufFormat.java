package dev.mqttsidecar.component.dataflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Protobuf binary of one message type from a descriptor set ({@code protoc --descriptor_set_out
 * --include_imports}), filled from the JSON message by protobuf's JSON mapping ({@code
 * JsonFormat.parser()}): field names in lowerCamelCase or as in the .proto, enums by name, 64-bit
 * integers as numbers or strings.
 */
final class ProtobufFormat implements OutputFormat {
  private final Descriptor type;
  private final JsonFormat.Parser parser;

  private ProtobufFormat(Descriptor type, boolean ignoreUnknownFields) {
    this.type = type;
    this.parser =
        ignoreUnknownFields ? JsonFormat.parser().ignoringUnknownFields() : JsonFormat.parser();
  }

  /**
   * @throws FormatSettingException naming the setting when the file cannot be read or has no such
   *     message type
   */
  static ProtobufFormat load(Path descriptorFile, String messageType, boolean ignoreUnknownFields) {
    if (descriptorFile == null) {
      throw new FormatSettingException(
          "protobuf.descriptorFile", "missing; format Protobuf needs a descriptor set file");
    }
    if (messageType == null) {
      throw new FormatSettingException(
          "protobuf.messageType", "missing; format Protobuf needs a fully qualified message name");
    }
    List<String> known = new ArrayList<>();
    for (FileDescriptor file : read(descriptorFile)) {
      for (Descriptor message : file.getMessageTypes()) {
        Descriptor found = find(message, messageType, known);
        if (found != null) {
          return new ProtobufFormat(found, ignoreUnknownFields);
        }
      }
    }
    throw new FormatSettingException(
        "protobuf.messageType",
        "no message '"
            + messageType
            + "' in "
            + descriptorFile
            + " (it has "
            + (known.size() > 10 ? known.subList(0, 10) + "..." : known)
            + ")");
  }

  private static Descriptor find(Descriptor message, String name, List<String> known) {
    known.add(message.getFullName());
    if (message.getFullName().equals(name)) {
      return message;
    }
    for (Descriptor nested : message.getNestedTypes()) {
      Descriptor found = find(nested, name, known);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The files of the set, in its order. */
  private static List<FileDescriptor> read(Path file) {
    FileDescriptorSet set;
    try (InputStream in = Files.newInputStream(file)) {
      set = FileDescriptorSet.parseFrom(in);
    } catch (IOException e) {
      throw new FormatSettingException(
          "protobuf.descriptorFile",
          "cannot read "
              + file
              + " as a descriptor set (protoc --descriptor_set_out --include_imports): "
              + e.getMessage());
    }
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    set.getFileList().forEach(p -> protos.put(p.getName(), p));
    Map<String, FileDescriptor> built = new HashMap<>();
    List<FileDescriptor> files = new ArrayList<>();
    for (FileDescriptorProto proto : set.getFileList()) {
      files.add(build(proto, protos, built, file));
    }
    return files;
  }

  /** Builds a file after the files it imports, which the set must hold too. */
  private static FileDescriptor build(
      FileDescriptorProto proto,
      Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built,
      Path file) {
    FileDescriptor done = built.get(proto.getName());
    if (done != null) {
      return done;
    }
    List<FileDescriptor> imports = new ArrayList<>();
    for (String name : proto.getDependencyList()) {
      FileDescriptorProto dependency = protos.get(name);
      if (dependency == null) {
        throw new FormatSettingException(
            "protobuf.descriptorFile",
            file
                + " lacks '"
                + name
                + "', imported by '"
                + proto.getName()
                + "'; make it with protoc --include_imports");
      }
      imports.add(build(dependency, protos, built, file));
    }
    try {
      FileDescriptor descriptor =
          FileDescriptor.buildFrom(proto, imports.toArray(new FileDescriptor[0]));
      built.put(proto.getName(), descriptor);
      return descriptor;
    } catch (DescriptorValidationException e) {
      throw new FormatSettingException(
          "protobuf.descriptorFile", file + ": '" + proto.getName() + "': " + e.getMessage());
    }
  }

  @Override
  public boolean needsJson() {
    return true;
  }

  @Override
  public byte[] convert(byte[] payload, JsonNode json) {
    if (!OutputFormat.requireJson(json, "Protobuf").isObject()) {
      throw new FlowMessageException(
          "Protobuf needs a JSON object for "
              + type.getFullName()
              + ", found "
              + json.getNodeType());
    }
    DynamicMessage.Builder message = DynamicMessage.newBuilder(type);
    try {
      parser.merge(new String(payload, StandardCharsets.UTF_8), message);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new FlowMessageException(
          "cannot convert to " + type.getFullName() + ": " + e.getMessage());
    }
    return message.build().toByteArray();
  }

  @Override
  public String contentType() {
    return "application/x-protobuf";
  }
}
