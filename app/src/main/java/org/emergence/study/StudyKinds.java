package org.emergence.study;

import java.util.ArrayList;
import java.util.List;
import org.emergence.common.UserError;

/**
 * The registry of study kinds. Adding a kind is one class implementing {@link StudyKind} and one line here; an unknown
 * kind is refused with one line naming the known ones.
 */
public final class StudyKinds {
    private StudyKinds() {}

    private static final List<StudyKind> ALL = List.of(
            new ShotsStudy(false),
            new ShotsStudy(true),
            new TextsStudy(),
            new ModelsStudy(),
            new AblationsStudy());

    /** Every kind's name, in order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (StudyKind k : ALL) out.add(k.name());
        return out;
    }

    /** The kind of that name, or a refusal. */
    public static StudyKind of(String name) {
        for (StudyKind k : ALL) if (k.name().equals(name)) return k;
        throw new UserError("study: unknown kind '" + name + "' (kinds: " + String.join(", ", names()) + ")");
    }

    /** Refuses an unknown kind with one line naming the known ones. */
    public static void check(String name) {
        of(name);
    }
}
