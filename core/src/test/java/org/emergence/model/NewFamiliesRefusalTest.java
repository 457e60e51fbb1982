package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Options of the issue-14 families that would change the computation and are not implemented are
 * refused with a one-line user error that names them — before any weight is read.
 */
class NewFamiliesRefusalTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "openai-gpt | {\"afn\": \"gelu_new\"}                                  | afn=gelu_new",
        "openai-gpt | {\"afn\": \"tanh\"}                                      | afn=tanh",
        "gpt_neo    | {\"attention_types\": [[[\"global\", \"sparse\"], 1]]}   | attention type 'sparse'",
        "gpt_neo    | {\"activation_function\": \"mish\"}                      | activation_function=mish",
        "opt        | {\"layer_norm_elementwise_affine\": false}               | layer_norm_elementwise_affine=false",
        "opt        | {\"activation_function\": \"mish\"}                      | activation_function=mish",
        "phi        | {\"qk_layernorm\": true}                                 | qk_layernorm",
        "phi        | {\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}} | rope_scaling",
        "phi3       | {\"rope_scaling\": {\"type\": \"longrope\", \"short_factor\": [1.0], \"long_factor\": [1.0]}} | rope_scaling",
        "phi3       | {\"partial_rotary_factor\": 0.75}                        | partial_rotary_factor=0.75",
        "olmo       | {\"rope_scaling\": {\"type\": \"llama3\", \"factor\": 8.0}} | rope_scaling type 'llama3'",
        "olmo       | {\"hidden_act\": \"mish\"}                               | hidden_act=mish",
        "falcon     | {\"alibi\": true}                                        | alibi",
        "falcon     | {\"rope_scaling\": {\"rope_type\": \"llama3\", \"factor\": 8.0}} | rope_scaling type 'llama3'",
        "falcon     | {\"parallel_attn\": false}                               | parallel_attn=false",
        "falcon_mq  | {\"num_ln_in_parallel_attn\": 2}                         | num_ln_in_parallel_attn=2",
        "mixtral    | {\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}} | rope_scaling",
        "mixtral    | {\"hidden_act\": \"mish\"}                               | hidden_act=mish",
    })
    void unsupportedOptionIsRefusedByName(String golden, String change, String named) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode cfg = (ObjectNode) om.readTree(TestFiles.golden(golden).resolve("config.json").toFile());
        cfg.setAll((ObjectNode) om.readTree(change));
        Path dir = TestFiles.tempDir("refuse-" + golden);
        Files.writeString(dir.resolve("config.json"), cfg.toPrettyString());
        UserError e = assertThrows(UserError.class, () -> Transformer.load(dir)); // no weights: refused on the config
        assertTrue(e.getMessage().contains(named), e.getMessage());
        assertTrue(e.getMessage().contains("unsupported option"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
