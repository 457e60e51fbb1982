import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import org.emergence.ie.Estimated;

/**
 * IE of run A minus IE of run B with the paired jackknife interval (both runs on the same sequences, seed and
 * groups: e.g. --precision bf16 against fp32), and the same for every E(l).
 *
 *   java -cp 'app/target/emergence.jar:app/target/lib/*' tools/perf/PairedIe.java RUN_A RUN_B
 */
public class PairedIe {
    public static void main(String[] a) throws Exception {
        ObjectMapper om = new ObjectMapper();
        JsonNode sa = om.readTree(new File(a[0], "summary.json")), sb = om.readTree(new File(a[1], "summary.json"));
        Estimated.Difference d = Estimated.difference(Estimated.of(sa.path("IE")), Estimated.of(sb.path("IE")), true);
        System.out.printf("IE: A %.4f  B %.4f  A - B %+.4f [%+.4f, %+.4f] bits (%s)%s%n", sa.path("IE").path("bits").asDouble(),
                sb.path("IE").path("bits").asDouble(), d.bits(), d.low(), d.high(), d.method(), d.containsZero() ? "; contains 0" : "; excludes 0");
        for (int i = 0; i < sa.path("E_layer").size(); i++) {
            JsonNode ea = sa.path("E_layer").get(i), eb = sb.path("E_layer").get(i);
            Estimated.Difference e = Estimated.difference(Estimated.of(ea), Estimated.of(eb), true);
            System.out.printf("E(%d): A %.4f  B %.4f  A - B %+.4f [%+.4f, %+.4f]%n", ea.path("layer").asInt(), ea.path("bits").asDouble(),
                    eb.path("bits").asDouble(), e.bits(), e.low(), e.high());
        }
    }
}
