package org.emergence.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.common.UserError;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;

/** Resolves a --model argument: a Hugging Face model directory. */
final class ModelArgs {
    private ModelArgs() {}

    static Transformer load(String spec) {
        return Transformer.load(dir(spec));
    }

    static Tokenizer tokenizer(String spec) {
        return Tokenizer.fromModelDir(dir(spec));
    }

    private static Path dir(String spec) {
        Path p = Path.of(spec);
        if (!Files.exists(p)) throw new UserError(spec + ": no such model directory");
        return p;
    }
}
