import java.nio.file.Path;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;
import org.emergence.ie.RunSummaryJson;

/**
 * IE of run A minus IE of run B with the paired jackknife interval (both runs on the same sequences, seed and
 * groups: e.g. --precision bf16 against fp32), and the same for every E(l). Reads each summary.json as the typed
 * {@link RunSummary}.
 *
 *   java -cp 'app/target/emergence.jar:app/target/lib/*' tools/perf/PairedIe.java RUN_A RUN_B
 */
public class PairedIe {
    public static void main(String[] a) {
        RunSummary sa = RunSummaryJson.read(Path.of(a[0], "summary.json")), sb = RunSummaryJson.read(Path.of(a[1], "summary.json"));
        Estimated.Difference d = Estimated.difference(sa.ie().estimated(), sb.ie().estimated(), true);
        System.out.printf("IE: A %.4f  B %.4f  A - B %+.4f [%+.4f, %+.4f] bits (%s)%s%n", sa.ie().bits(), sb.ie().bits(), d.bits(),
                d.low(), d.high(), d.method(), d.containsZero() ? "; contains 0" : "; excludes 0");
        RunSummary.LayerE[] la = sa.results().eLayer(), lb = sb.results().eLayer();
        for (int i = 0; i < la.length; i++) {
            Estimated.Difference e = Estimated.difference(la[i].e().estimated(), lb[i].e().estimated(), true);
            System.out.printf("E(%d): A %.4f  B %.4f  A - B %+.4f [%+.4f, %+.4f]%n", la[i].layer(), la[i].e().bits(), lb[i].e().bits(),
                    e.bits(), e.low(), e.high());
        }
    }
}
