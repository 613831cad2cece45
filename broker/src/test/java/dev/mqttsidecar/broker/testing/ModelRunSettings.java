package dev.mqttsidecar.broker.testing;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets a model-based property run longer or replay a failure without editing code: {@code
 * -Dmodel.tries=N} runs N sequences instead of the property's CI count, {@code -Dmodel.seed=S}
 * generates them from the seed a failed run printed.
 */
public final class ModelRunSettings implements AroundPropertyHook {
  /** Registered on a test class, it applies to each property in it. */
  @Override
  public PropagationMode propagateTo() {
    return PropagationMode.ALL_DESCENDANTS;
  }

  @Override
  public PropertyExecutionResult aroundProperty(
      PropertyLifecycleContext context, PropertyExecutor property) {
    Integer tries = Integer.getInteger("model.tries");
    if (tries != null) {
      context.attributes().setTries(tries);
    }
    String seed = System.getProperty("model.seed");
    if (seed != null && !seed.isBlank()) {
      context.attributes().setSeed(seed);
    }
    return property.execute();
  }
}
