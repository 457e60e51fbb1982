package org.emergence.model;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which activations to capture ({@link Hooks} names) and at which token positions (all by default).
 * The forward pass stops after the last block any requested hook needs.
 */
public final class CaptureRequest {
    private final Set<String> hooks;
    private final int[] positions;

    private CaptureRequest(Set<String> hooks, int[] positions) {
        this.hooks = hooks;
        this.positions = positions;
    }

    public static CaptureRequest of(String... hooks) {
        return of(Arrays.asList(hooks));
    }

    public static CaptureRequest of(List<String> hooks) {
        Set<String> s = new LinkedHashSet<>();
        for (String h : hooks) {
            Hooks.parse(h); // validates the name
            s.add(h);
        }
        return new CaptureRequest(s, null);
    }

    /** Block inputs and outputs of the given layers (all layers when {@code layers} is null). */
    public static CaptureRequest blocks(int[] layers, int numLayers) {
        Set<String> s = new LinkedHashSet<>();
        int[] ls = layers == null ? java.util.stream.IntStream.range(0, numLayers).toArray() : layers;
        for (int l : ls) {
            s.add(Hooks.residPre(l));
            s.add(Hooks.residPost(l));
        }
        return new CaptureRequest(s, null);
    }

    /** The same hooks, plus more. */
    public CaptureRequest and(String... more) {
        Set<String> s = new LinkedHashSet<>(hooks);
        for (String h : more) {
            Hooks.parse(h);
            s.add(h);
        }
        return new CaptureRequest(s, positions);
    }

    /** Restricts capture to these token positions (ascending, distinct). */
    public CaptureRequest atPositions(int... pos) {
        int[] p = pos.clone();
        for (int i = 1; i < p.length; i++) {
            if (p[i] <= p[i - 1]) throw new IllegalArgumentException("positions must be ascending and distinct");
        }
        return new CaptureRequest(hooks, p);
    }

    public Set<String> hooks() {
        return hooks;
    }

    public boolean wants(String hook) {
        return hooks.contains(hook);
    }

    /** Positions to capture, or null for all. */
    public int[] positions() {
        return positions == null ? null : positions.clone();
    }

    /** Number of blocks that must run to serve this request (the forward stops there). */
    public int blocksNeeded(int numLayers) {
        int n = 0;
        for (String h : hooks) {
            Hooks.BlockHook b = Hooks.parse(h);
            if (b == null) return numLayers;
            n = Math.max(n, b.post() ? b.layer() + 1 : b.layer());
        }
        return n;
    }
}
