package dev.mqttsidecar.component.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextBufferTest {

  private static String written(double value) {
    return new String(new TextBuffer().append(value).toByteArray(), StandardCharsets.US_ASCII);
  }

  @Test
  void everyFloatIsWrittenAsDoubleToStringWritesIt() {
    double[] values = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      42.0,
      9_999_999.0,
      -9_999_999.0,
      1e7,
      1.5e9,
      0.5,
      -2.25,
      1e-3,
      123456.789,
      Long.MAX_VALUE,
      Double.MIN_VALUE,
      Double.MAX_VALUE
    };
    for (double v : values) {
      assertThat(written(v)).as("%s", v).isEqualTo(Double.toString(v));
    }
    assertThat(written(Double.NaN)).isEqualTo("NaN");
    assertThat(written(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
    assertThat(written(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
  }

  @Test
  void theBufferGrowsPastItsFirstSize() {
    TextBuffer buffer = new TextBuffer();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 5_000; i++) {
      buffer.append((double) i).newline();
      expected.append(i).append(".0\n");
    }
    assertThat(new String(buffer.toByteArray(), StandardCharsets.US_ASCII))
        .isEqualTo(expected.toString());
  }
}
