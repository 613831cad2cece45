package dev.mqttsidecar.component.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The broker operations options: $SYS interval and client life-cycle events. */
class SidecarOptionsTest {

  private static SidecarCommand parse(String... args) {
    SidecarCommand command = new SidecarCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void defaultsPublishSysEveryTenSecondsAndLifecycleEvents() {
    SidecarCommand c = parse();
    assertThat(c.sysIntervalSeconds).isEqualTo(10);
    assertThat(c.lifecycleEvents).isTrue();
  }

  @Test
  void bothCanBeTurnedOff() {
    SidecarCommand c = parse("--sys-interval", "0", "--no-lifecycle-events");
    assertThat(c.sysIntervalSeconds).isZero();
    assertThat(c.lifecycleEvents).isFalse();
    assertThat(parse("--lifecycle-events").lifecycleEvents).isTrue();
  }
}
