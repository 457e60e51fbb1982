package org.emergence.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.emergence.common.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code emergence} command line. Exit codes: 0 success, 2 bad input or usage (one line on
 * stderr naming what is wrong), 1 internal error. Stack traces only with {@code --debug}.
 */
@Command(name = "emergence",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Information Emergence (IE) of language models: capture hidden states, "
                + "estimate mutual information, report IE per layer and position.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            StudyCommand.class,
            CaptureCommand.class,
            InitCommand.class,
            MiCommand.class,
            BenchCommand.class,
            ReportCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INTERNAL = 1;
    public static final int EXIT_USER = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code == EXIT_OK && System.out.checkError()) {
            System.err.println("emergence: error: cannot write to standard output (disk full, or the pipe or file behind it closed)");
            code = EXIT_USER;
        }
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs the CLI with the given streams and returns the exit code (used by tests in-process). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(new Main(), args, out, err);
    }

    /**
     * Runs {@code command} (this CLI, or another front end built on its commands, e.g. the Spark
     * module's) with this CLI's exit codes, one-line errors and --version everywhere.
     */
    public static int run(Object command, String[] args, PrintStream out, PrintStream err) {
        CommonOptions.reset();
        PrintWriter outW = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errW = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(command);
        cl.getCommandSpec().versionProvider(new Version());
        cl.setOverwrittenOptionsAllowed(true); // a repeated option: the last one wins, as in most tools
        cl.setOut(outW);
        cl.setErr(errW);
        // every command answers --version (mixinStandardHelpOptions gives the option, the provider its text)
        for (CommandLine sub : cl.getSubcommands().values()) versionEverywhere(sub);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            String hint = "";
            if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                hint = " (did you mean " + String.join(" or ", u.getSuggestions().subList(0, Math.min(3, u.getSuggestions().size()))) + "?)";
            }
            if (ex.getCause() instanceof java.nio.file.InvalidPathException ip) {
                errW.println("emergence: error: " + UserError.fromEnvironment(ip).getMessage());
                return EXIT_USER;
            }
            errW.println("emergence: " + ex.getMessage() + hint);
            errW.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_USER;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean debug = CommonOptions.debug();
            UserError user = ex instanceof UserError u ? u : UserError.fromEnvironment(ex);
            if (user != null) {
                errW.println("emergence: error: " + user.getMessage());
                if (debug) ex.printStackTrace(errW);
                return EXIT_USER;
            }
            errW.println("emergence: internal error: " + ex + (debug ? "" : " (run with --debug for the stack trace)"));
            if (debug) ex.printStackTrace(errW);
            return EXIT_INTERNAL;
        });
        int code;
        try {
            code = cl.execute(args);
        } catch (InternalError ie) {
            UserError u = UserError.fromEnvironment(ie);
            if (u == null) throw ie;
            errW.println("emergence: error: " + u.getMessage());
            if (CommonOptions.debug()) ie.printStackTrace(errW);
            code = EXIT_USER;
        } catch (OutOfMemoryError oom) {
            errW.println("emergence: out of memory: " + outOfMemory(oom));
            if (CommonOptions.debug()) oom.printStackTrace(errW);
            code = EXIT_USER;
        }
        // PrintStream and PrintWriter swallow write errors: a full disk or a closed pipe behind stdout would
        // otherwise end in exit 0 with the results lost
        if (outW.checkError() || out.checkError()) {
            errW.println("emergence: error: cannot write to standard output (disk full, or the pipe or file behind it closed); "
                    + "the output is incomplete");
            if (code == EXIT_OK) code = EXIT_USER;
        }
        errW.flush();
        return code;
    }

    /** What ran out, and what to do about it (a heap, direct memory and an impossible array size have different remedies). */
    static String outOfMemory(OutOfMemoryError oom) {
        String m = String.valueOf(oom.getMessage());
        long heap = Runtime.getRuntime().maxMemory() >> 20;
        if (m.contains("Requested array size exceeds VM limit") || m.contains("array size")) {
            return "an input asks for an array of more than 2^31 elements (a size in config.json, a file's shape, or --n, --t, --batch "
                    + "too large); check the sizes the error follows";
        }
        if (m.contains("Direct buffer memory") || m.contains("Cannot reserve")) {
            return "the direct (off-heap) memory for activations and weights is used up (limit: -XX:MaxDirectMemorySize, by default the "
                    + "max heap, " + heap + " MB); use a smaller --batch, or raise it: JAVA_OPTS='-XX:MaxDirectMemorySize=<size>'";
        }
        if (m.contains("Metaspace") || m.contains("native thread")) return m + " (a limit of the JVM or the machine, not of the input)";
        return "the Java heap (" + heap + " MB) is used up: use a smaller --batch or --n, or give the JVM more with JAVA_OPTS=-Xmx<size>";
    }

    private static void versionEverywhere(CommandLine c) {
        c.getCommandSpec().versionProvider(new Version());
        for (CommandLine sub : c.getSubcommands().values()) versionEverywhere(sub);
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"emergence " + version()};
        }
    }

    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }
}
