package org.emergence.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.model.BoundWeights.BlockP;
import org.emergence.model.BoundWeights.LinearP;

/** The distinct matrix products of a model's blocks, as the forward pass calls them (for {@code bench gemm}). */
public final class GemmShapes {
    private GemmShapes() {}

    /**
     * One product shape: x [m, k] times a weight giving n outputs; {@code transB} when the weight is stored
     * [n, k] (PyTorch Linear) and used transposed, false for [k, n] (GPT-2 Conv1D, ONNX MatMul).
     *
     * @param uses how many linear layers of the model have this shape
     */
    public record Shape(int k, int n, boolean transB, int uses) {}

    public static List<Shape> of(Transformer model) {
        BoundWeights bw = BoundWeights.bind(model.checkpoint(), model.family(), model.config(), model.family().layout(model.config()));
        Map<String, int[]> seen = new LinkedHashMap<>();
        Map<String, Shape> first = new LinkedHashMap<>();
        for (BlockP b : bw.blocks()) {
            for (LinearP p : b.linears()) {
                String key = p.in() + " " + p.out() + " " + !p.inOut();
                seen.computeIfAbsent(key, k -> new int[1])[0]++;
                first.putIfAbsent(key, new Shape(p.in(), p.out(), !p.inOut(), 0));
            }
        }
        List<Shape> out = new ArrayList<>();
        first.forEach((k, s) -> out.add(new Shape(s.k(), s.n(), s.transB(), seen.get(k)[0])));
        return out;
    }
}
