package org.emergence.model.family;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;
import org.emergence.model.Family;

/** The registry of supported architecture families, keyed by Hugging Face {@code model_type}. */
public final class Families {
    private Families() {}

    private static final Map<String, Family> BY_TYPE = new LinkedHashMap<>();

    static {
        register(new Gpt2Family());
        register(new LlamaFamily(LlamaFamily.Variant.LLAMA));
        register(new LlamaFamily(LlamaFamily.Variant.MISTRAL));
        register(new LlamaFamily(LlamaFamily.Variant.QWEN2));
        register(new LlamaFamily(LlamaFamily.Variant.GEMMA));
        register(new LlamaFamily(LlamaFamily.Variant.GEMMA2));
        register(new NeoxFamily());
        register(new GptjFamily());
        register(new BertFamily());
        register(new OpenAiGptFamily());
        register(new GptNeoFamily());
        register(new OptFamily());
        register(new PhiFamily());
        register(new Phi3Family());
        register(new OlmoFamily());
        register(new FalconFamily());
        register(new MixtralFamily());
    }

    private static void register(Family f) {
        for (String t : f.modelTypes()) BY_TYPE.put(t, f);
    }

    /** Supported model_type values, in registration order. */
    public static List<String> supported() {
        return new ArrayList<>(BY_TYPE.keySet());
    }

    public static Family get(String modelType) {
        Family f = BY_TYPE.get(modelType);
        if (f == null) {
            throw new UserError("unsupported model_type '" + modelType + "' (supported: " + String.join(", ", supported()) + ")");
        }
        return f;
    }

    /** The family for a config.json, with errors naming the file. */
    public static Family forConfig(JsonNode config, Path dir) {
        JsonNode mt = config.get("model_type");
        String where = dir == null ? "config.json" : dir.resolve("config.json").toString();
        if (mt == null || !mt.isTextual()) {
            throw new UserError(where + ": no model_type (supported: " + String.join(", ", supported()) + ")");
        }
        Family f = BY_TYPE.get(mt.asText());
        if (f == null) {
            throw new UserError(where + ": unsupported model_type '" + mt.asText() + "' (supported: "
                    + String.join(", ", supported()) + ")");
        }
        if (config.has("quantization_config")) {
            throw new UserError(where + ": unsupported option quantization_config (quantized checkpoints are not supported)");
        }
        return f;
    }
}
