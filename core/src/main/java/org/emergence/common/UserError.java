package org.emergence.common;

/**
 * A problem with the user's input or environment that the user can fix. The CLI prints its
 * message as one line and exits with status 2; the stack trace is shown only with --debug.
 * Messages name the file, tensor, row or option at fault.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(oneLine(message));
    }

    public UserError(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** Line breaks and other control characters quoted from the input are shown escaped, so the message stays one line. */
    static String oneLine(String m) {
        if (m == null) return "error";
        StringBuilder b = new StringBuilder(m.length());
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (c == '\n') b.append("\\n");
            else if (c == '\r') b.append("\\r");
            else if (c < 0x20 && c != '\t' || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }

    /**
     * A problem of the machine the user can fix — a full disk, a read-only or missing directory, a
     * permission, a path under a file — found anywhere in the cause chain of {@code t}, as a user error
     * naming the file; null when {@code t} is not one (a bug).
     */
    public static UserError fromEnvironment(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage();
            if (c instanceof java.nio.file.InvalidPathException ip) {
                return new UserError("'" + ip.getInput() + "' is not a path this system can use (" + ip.getReason() + ")"
                        + (java.nio.charset.Charset.defaultCharset().name().contains("UTF") ? ""
                            : "; with this locale's " + System.getProperty("sun.jnu.encoding", "?") + " file names only ASCII works: "
                            + "set LANG=C.UTF-8"), t);
            }
            if (c instanceof InternalError && m.contains("unsafe memory access")) {
                // HotSpot's answer to SIGBUS while Java reads a memory-mapped file that shrank under it
                return new UserError("a memory-mapped input (a checkpoint or activation file) was truncated or replaced while this run "
                        + "was reading it; do not copy over a model in use — the run is resumable: run the same command again", t);
            }
            String what = m.contains("No space left on device") ? "no space left on the device"
                    : m.contains("Disk quota exceeded") ? "disk quota exceeded"
                    : m.contains("Read-only file system") ? "read-only file system"
                    : null;
            if (c instanceof java.nio.file.FileSystemException fse) {
                String file = fse.getFile() != null ? fse.getFile() : "?";
                String reason = what != null ? what
                        : c instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : c instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                        : c instanceof java.nio.file.NotDirectoryException ? "a path component is not a directory"
                        : c instanceof java.nio.file.FileAlreadyExistsException ? "already exists (and is not a directory?)"
                        : fse.getReason() != null ? fse.getReason() : m;
                return new UserError(file + (fse.getOtherFile() != null ? " -> " + fse.getOtherFile() : "") + ": " + reason, t);
            }
            if (what != null) return new UserError(what + " (" + m + ")", t);
            if (c instanceof java.io.IOException && (m.contains("Not a directory") || m.contains("Permission denied"))) {
                return new UserError(m, t);
            }
        }
        return null;
    }
}
