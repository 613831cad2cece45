package dev.mqttsidecar.broker.testing;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap buffers that are remembered, so a test can tell right after one input which of them are
 * still held. Netty's leak detector reports a leak only once the garbage collector found it, too
 * late to know which input caused it; this tells at once. Not thread-safe: for channels a test
 * drives on its own thread, such as an {@code EmbeddedChannel}.
 */
public final class TrackingAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> allocated = new ArrayList<>();

  public TrackingAllocator() {
    super(false);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    return remember(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity));
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    return newHeapBuffer(initialCapacity, maxCapacity); // heap only: nothing native to leak
  }

  @Override
  public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
    return remember(super.compositeHeapBuffer(maxNumComponents));
  }

  @Override
  public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
    return compositeHeapBuffer(maxNumComponents);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  /** How many buffers were allocated so far. */
  public int allocations() {
    return allocated.size();
  }

  /** Descriptions of the buffers not yet released, empty when all were. */
  public List<String> unreleased() {
    List<String> held = new ArrayList<>();
    for (ByteBuf b : allocated) {
      if (b.refCnt() != 0) {
        held.add(b.getClass().getSimpleName() + " refCnt=" + b.refCnt() + " " + b);
      }
    }
    return held;
  }

  private <T extends ByteBuf> T remember(T buffer) {
    allocated.add(buffer);
    return buffer;
  }
}
