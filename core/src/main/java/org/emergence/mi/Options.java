package org.emergence.mi;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.emergence.common.UserError;

/**
 * An estimator or task spec: {@code name[:key=value[:key=value…]]}, e.g. {@code mine:steps=500:lr=1e-3}
 * or {@code mine-paper:widths=96/48/1}. Lists inside a value are separated by '/'. Getters record which
 * keys exist, so {@link #rejectUnknown()} can name a misspelt key together with the known ones.
 */
public final class Options {
    private final String name;
    private final String spec;
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    private Options(String name, String spec) {
        this.name = name;
        this.spec = spec;
    }

    public static Options parse(String spec) {
        String s = spec == null ? "" : spec.trim();
        String[] parts = s.split(":");
        Options o = new Options(parts[0].trim().toLowerCase(Locale.ROOT), s);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            if (eq <= 0) throw new UserError("'" + spec + "': option '" + p + "' must look like key=value");
            o.values.put(p.substring(0, eq).trim().toLowerCase(Locale.ROOT), p.substring(eq + 1).trim());
        }
        return o;
    }

    public static Options empty(String name) {
        return new Options(name, name);
    }

    public String name() {
        return name;
    }

    public String spec() {
        return spec;
    }

    public boolean has(String key) {
        known.add(key);
        return values.containsKey(key);
    }

    public String string(String key, String def) {
        known.add(key);
        return values.getOrDefault(key, def);
    }

    public int integer(String key, int def, int min) {
        String v = string(key, null);
        if (v == null) return def;
        int r;
        try {
            r = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UserError(name + ": option " + key + "=" + v + " is not an integer");
        }
        if (r < min) throw new UserError(name + ": option " + key + "=" + v + " must be >= " + min);
        return r;
    }

    public double real(String key, double def, double min, double max) {
        String v = string(key, null);
        if (v == null) return def;
        double r;
        try {
            r = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UserError(name + ": option " + key + "=" + v + " is not a number");
        }
        if (!(r >= min && r <= max)) throw new UserError(name + ": option " + key + "=" + v + " must be in [" + min + ", " + max + "]");
        return r;
    }

    public boolean bool(String key, boolean def) {
        String v = string(key, null);
        if (v == null) return def;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new UserError(name + ": option " + key + "=" + v + " must be true or false");
        };
    }

    public String choice(String key, String def, String... allowed) {
        String v = string(key, def).toLowerCase(Locale.ROOT);
        for (String a : allowed) if (a.equals(v)) return v;
        throw new UserError(name + ": option " + key + "=" + v + " must be one of " + String.join(", ", allowed));
    }

    public int[] integers(String key, int[] def) {
        String v = string(key, null);
        if (v == null) return def;
        String[] p = v.split("/");
        int[] r = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            try {
                r[i] = Integer.parseInt(p[i].trim());
            } catch (NumberFormatException e) {
                throw new UserError(name + ": option " + key + "=" + v + " must be integers separated by '/'");
            }
            if (r[i] < 1) throw new UserError(name + ": option " + key + "=" + v + ": every entry must be >= 1");
        }
        return r;
    }

    /** Throws a UserError naming the first key no getter asked for. */
    public void rejectUnknown() {
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw new UserError(name + ": unknown option '" + k + "'"
                        + (known.isEmpty() ? " (it takes no options)" : " (known: " + String.join(", ", known) + ")"));
            }
        }
    }
}
