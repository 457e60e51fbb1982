package org.emergence.model;

/**
 * Elementwise activations, applied in place to float arrays so the JIT can vectorise the loops.
 * Names follow Hugging Face's {@code ACT2FN} keys.
 */
public enum Activation {
    /** gelu_new / gelu_pytorch_tanh / gelu_fast: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    GELU_TANH,
    /** gelu: 0.5·x·(1 + erf(x/√2)), exact. */
    GELU_ERF,
    /** silu / swish: x·σ(x). */
    SILU,
    RELU,
    /** quick_gelu: x·σ(1.702·x). */
    QUICK_GELU;

    /** Maps a Hugging Face activation name, or returns null when unknown. */
    public static Activation fromHf(String name) {
        if (name == null) return null;
        return switch (name) {
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "gelu_python_tanh" -> GELU_TANH;
            case "gelu", "gelu_python" -> GELU_ERF;
            case "silu", "swish" -> SILU;
            case "relu" -> RELU;
            case "quick_gelu" -> QUICK_GELU;
            default -> null;
        };
    }

    public static final String SUPPORTED = "gelu_new, gelu_pytorch_tanh, gelu_fast, gelu, silu, swish, relu, quick_gelu";

    /** x[from, to) ← act(x). */
    public void apply(float[] x, int from, int to) {
        switch (this) {
            case GELU_TANH -> {
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    float u = 0.7978845608028654f * (v + 0.044715f * v * v * v);
                    x[i] = 0.5f * v * (1f + FastMath.tanh(u));
                }
            }
            case GELU_ERF -> {
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    x[i] = 0.5f * v * (1f + FastMath.erf(v * 0.7071067811865476f));
                }
            }
            case SILU -> {
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    x[i] = v * FastMath.sigmoid(v);
                }
            }
            case RELU -> {
                for (int i = from; i < to; i++) x[i] = Math.max(0f, x[i]);
            }
            case QUICK_GELU -> {
                for (int i = from; i < to; i++) {
                    float v = x[i];
                    x[i] = v * FastMath.sigmoid(1.702f * v);
                }
            }
        }
    }
}
