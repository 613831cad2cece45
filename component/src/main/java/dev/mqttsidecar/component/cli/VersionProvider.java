package dev.mqttsidecar.component.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest ("dev" when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = SidecarCommand.class.getPackage().getImplementationVersion();
    return new String[] {
      "mqtt-sidecar " + (version == null ? "dev" : version),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
    };
  }
}
