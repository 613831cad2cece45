package dev.mqttsidecar.state.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parsed query filter: a closed tree of comparisons over dotted JSON paths. */
public sealed interface Filter {

  /** {@code {"EQ": {"a.b": value}}} and the other comparison operators. */
  record Compare(CompareOp op, String path, JsonNode value) implements Filter {}

  /** {@code {"IN": {"a.b": [v1, v2]}}}: equal to any of the values. */
  record In(String path, List<JsonNode> values) implements Filter {
    public In {
      values = List.copyOf(values);
    }
  }

  /** {@code {"AND": [f1, f2]}}. */
  record And(List<Filter> operands) implements Filter {
    public And {
      operands = List.copyOf(operands);
    }
  }

  /** {@code {"OR": [f1, f2]}}. */
  record Or(List<Filter> operands) implements Filter {
    public Or {
      operands = List.copyOf(operands);
    }
  }
}
