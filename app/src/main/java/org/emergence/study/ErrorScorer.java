package org.emergence.study;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Results;
import org.emergence.data.IclDataset;
import org.emergence.data.Npy;
import org.emergence.model.ModelSources;
import org.emergence.model.NextToken;
import org.emergence.model.TokenBatch;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;

/**
 * The model's next-token prediction after each list of a condition ("lion, tiger, wolf," → ?),
 * classified as correct (an entity of the list's category that is not in the list), a repetition
 * (an entity already in the list), the wrong category (an entity of another category only) or other
 * (punctuation, end of text, any other word). An entity is identified by its first token.
 */
final class ErrorScorer {
    private final Results study;
    private final Transformer model;
    /** first token of every entity, per category */
    private final Map<String, Set<Integer>> byCategory = new HashMap<>();

    /** @param name the model measured; {@code s} the study's finished conditions (their token files) */
    ErrorScorer(String name, Results s) {
        this.study = s;
        this.model = ModelSources.load(name);
        try (Tokenizer tok = ModelSources.tokenizer(name)) {
            for (var e : IclDataset.categories().entrySet()) {
                Set<Integer> ids = new HashSet<>();
                String filler = e.getValue().get(0), other = e.getValue().get(1);
                for (String x : e.getValue()) ids.add(firstToken(tok, x.equals(filler) ? other : filler, x));
                byCategory.put(e.getKey(), ids);
            }
        }
    }

    /** The first token of {@code e} where it stands after "{@code ref}, " (where the two encodings part). */
    static int firstToken(Tokenizer tok, String ref, String e) {
        int[] a = tok.encode(ref + ", " + e + ",", false), b = tok.encode(ref + ", " + ref + ",", false);
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) i++;
        return a[Math.min(i, a.length - 1)];
    }

    /** Counts over the lists of several conditions (replicates of one K). */
    record Rates(int n, int correct, int repetition, int wrongCategory, int other) {
        double errorRate() {
            return 1 - correct / (double) n;
        }

        /** Wilson 95% interval of a proportion. */
        static double[] wilson(int k, int n) {
            double z = 1.959963984540054, p = k / (double) n, d = 1 + z * z / n;
            double c = (p + z * z / (2 * n)) / d, h = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / d;
            return new double[] {c - h, c + h};
        }

        StudyResult.NextTokens typed() {
            double[] w = wilson(n - correct, n);
            return new StudyResult.NextTokens(n, correct / (double) n, repetition / (double) n, wrongCategory / (double) n,
                    other / (double) n, errorRate(), w[0], w[1], "Wilson 95% interval of the error rate (1 − correct)");
        }
    }

    Rates rates(List<Condition> conditions) {
        int n = 0, correct = 0, rep = 0, wrong = 0, other = 0;
        for (Condition c : conditions) {
            String cat = c.labels().get("category");
            Set<Integer> mine = byCategory.get(cat);
            Path tokens = (c.derived() ? study.find(c.prefixOf()) : c).dir().resolve("tokens.npy");
            long[] ids = Npy.readLongs(tokens, Npy.header(tokens));
            int rows = (int) Npy.header(tokens).dim(0), width = (int) Npy.header(tokens).dim(1);
            int t = c.derived() ? c.position() + 1 : width;
            for (int s0 = 0; s0 < rows; s0 += 256) {
                int s1 = Math.min(rows, s0 + 256);
                int[][] prompts = new int[s1 - s0][t];
                for (int r = s0; r < s1; r++) for (int i = 0; i < t; i++) prompts[r - s0][i] = (int) ids[r * width + i];
                int[] pred = NextToken.top1(model, TokenBatch.of(prompts));
                for (int r = 0; r < pred.length; r++) {
                    int p = pred[r];
                    boolean inList = Arrays.stream(prompts[r]).anyMatch(x -> x == p);
                    n++;
                    if (inList && mine.contains(p)) rep++;
                    else if (mine.contains(p)) correct++;
                    else if (byCategory.entrySet().stream().anyMatch(e -> !e.getKey().equals(cat) && e.getValue().contains(p))) wrong++;
                    else other++;
                }
            }
        }
        return new Rates(n, correct, rep, wrong, other);
    }
}
