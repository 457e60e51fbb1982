package org.emergence.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One architecture family (a Hugging Face {@code model_type}): how to read its config, which
 * tensors it has, and how to write a fresh config for {@code emergence init}. The forward pass itself
 * is shared ({@link Transformer}); a family only chooses its parts through {@link ModelConfig}.
 */
public interface Family {
    /** The model_type values this family handles (the first is its canonical name). */
    java.util.List<String> modelTypes();

    /** Parses config.json, refusing any option that would change the computation and is not implemented. */
    ModelConfig parse(ConfigReader cfg);

    /** Expected tensors (full Hugging Face names as *ForCausalLM / *Model save them). */
    Layout layout(ModelConfig c);

    /**
     * Prefixes that wrap the base model in task-head classes ("transformer." for GPT2LMHeadModel,
     * "model." for LlamaForCausalLM …). Checkpoints saved with or without them both load.
     */
    java.util.List<String> basePrefixes();

    /** A config.json for a fresh random model of this family ({@code emergence init}). */
    ObjectNode initConfig(InitSpec spec);
}
