package org.emergence.cli;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.data.Npy;
import org.junit.jupiter.api.Test;

/** Every bad input of the capture path gets one line naming the file/tensor/line and exit code 2. */
class BadInputTest {
    private static Path golden = TestFiles.golden("gpt2");

    private static Path ids() {
        return golden.resolve("batch_3x8/input_ids.npy");
    }

    private static Cli capture(Path model, Path idsFile) throws IOException {
        return Cli.run("capture", "--model", model.toString(), "--ids", idsFile.toString(), "--quiet",
                "--out", TestFiles.tempDir("bad-out").toString());
    }

    /** A copy of the golden gpt2 directory that a test may damage. */
    private static Path copyModel() throws IOException {
        Path d = TestFiles.tempDir("badmodel");
        Files.copy(golden.resolve("config.json"), d.resolve("config.json"));
        Files.copy(golden.resolve("model.safetensors"), d.resolve("model.safetensors"));
        return d;
    }

    @Test
    void directoryWithoutConfig() throws IOException {
        Path d = TestFiles.tempDir("noconfig");
        capture(d, ids()).assertUserError("no config.json", d.toString());
    }

    @Test
    void missingDirectory() throws IOException {
        capture(Path.of("target/does-not-exist"), ids()).assertUserError("does-not-exist");
    }

    @Test
    void unknownModelType() throws IOException {
        Path d = copyModel();
        Files.writeString(d.resolve("config.json"), Files.readString(d.resolve("config.json")).replace("\"gpt2\"", "\"t5\""));
        capture(d, ids()).assertUserError("unsupported model_type 't5'", "supported: gpt2", "llama");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Path d = copyModel();
        try (RandomAccessFile f = new RandomAccessFile(d.resolve("model.safetensors").toFile(), "rw")) {
            f.setLength(f.length() - 1000);
        }
        capture(d, ids()).assertUserError("model.safetensors", "outside");
    }

    @Test
    void headerLongerThanFile() throws IOException {
        Path d = copyModel();
        Files.write(d.resolve("model.safetensors"), new byte[] {(byte) 0xff, 0x7f, 0, 0, 0, 0, 0, 0, '{', '}'});
        capture(d, ids()).assertUserError("model.safetensors", "header length");
    }

    @Test
    void malformedJsonHeader() throws IOException {
        Path d = copyModel();
        byte[] json = "{\"a\": [1, 2".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(json.length).put(json);
        Files.write(d.resolve("model.safetensors"), b.array());
        capture(d, ids()).assertUserError("model.safetensors", "not valid JSON");
    }

    @Test
    void shapeAndOffsetsDisagree() throws IOException {
        Path d = copyModel();
        rewriteHeader(d, h -> h.replaceFirst("\"shape\":\\[64,192\\]", "\"shape\":[64,190]"));
        capture(d, ids()).assertUserError("model.safetensors", "transformer.h.0.attn.c_attn.weight", "needs");
    }

    @Test
    void overlappingTensors() throws IOException {
        Path d = copyModel();
        // give the second tensor the first tensor's offsets: same size, so only the overlap check can catch it
        Path st = d.resolve("model.safetensors");
        String header = header(st);
        String first = "\"transformer.h.0.ln_1.bias\"";
        String second = "\"transformer.h.0.ln_1.weight\"";
        java.util.regex.Pattern off = java.util.regex.Pattern.compile("\"data_offsets\":\\[\\d+,\\d+\\]");
        String a = header.substring(header.indexOf(first)), b = header.substring(header.indexOf(second));
        java.util.regex.Matcher ma = off.matcher(a), mb = off.matcher(b);
        ma.find();
        mb.find();
        String swapped = header.replace(second + b.substring(second.length(), mb.end()),
                second + b.substring(second.length(), mb.start()) + ma.group());
        writeHeader(st, swapped);
        capture(d, ids()).assertUserError("model.safetensors", "overlap");
    }

    @Test
    void missingTensor() throws IOException {
        Path d = copyModel();
        rewriteHeader(d, h -> h.replace("\"transformer.h.1.ln_2.weight\"", "\"transformer.h.1.ln_2.weighX\""));
        capture(d, ids()).assertUserError("missing tensor 'transformer.h.1.ln_2.weight'");
    }

    @Test
    void wrongShape() throws IOException {
        Path d = copyModel();
        // same byte size, different shape
        rewriteHeader(d, h -> h.replaceFirst("\"transformer.wpe.weight\":\\{\"dtype\":\"F32\",\"shape\":\\[64,64\\]",
                "\"transformer.wpe.weight\":{\"dtype\":\"F32\",\"shape\":[8,512]"));
        capture(d, ids()).assertUserError("transformer.wpe.weight", "[8, 512]", "expected [64, 64]");
    }

    @Test
    void wrongDtype() throws IOException {
        Path d = copyModel();
        rewriteHeader(d, h -> h.replaceFirst("\"transformer.wpe.weight\":\\{\"dtype\":\"F32\"",
                "\"transformer.wpe.weight\":{\"dtype\":\"I32\""));
        capture(d, ids()).assertUserError("transformer.wpe.weight", "I32");
    }

    @Test
    void tokenIdOutsideVocabulary() throws IOException {
        Path f = TestFiles.tempDir("ids").resolve("ids.npy");
        Npy.writeLongs(f, new long[] {2, 3}, new long[] {1, 2, 3, 4, 1000, 6});
        capture(golden, f).assertUserError("token id 1000", "row 1", "position 1", "vocabulary");
    }

    @Test
    void sequenceLongerThanPositions() throws IOException {
        Path f = TestFiles.tempDir("ids").resolve("long.npy");
        Npy.writeLongs(f, new long[] {1, 65}, new long[65]);
        capture(golden, f).assertUserError("65 tokens", "64 positions");
    }

    @Test
    void unreadableNpy() throws IOException {
        Path f = TestFiles.tempDir("ids").resolve("junk.npy");
        Files.writeString(f, "this is not numpy");
        capture(golden, f).assertUserError("junk.npy", "not a .npy file");
        Path g = f.resolveSibling("floats.npy");
        Npy.writeFloats(g, new long[] {1, 3}, new float[] {1, 2, 3});
        capture(golden, g).assertUserError("floats.npy", "int32 or int64");
        Path h = f.resolveSibling("trunc.npy");
        Npy.writeLongs(h, new long[] {2, 8}, new long[16]);
        try (RandomAccessFile r = new RandomAccessFile(h.toFile(), "rw")) {
            r.setLength(r.length() - 8);
        }
        capture(golden, h).assertUserError("trunc.npy", "truncated");
    }

    @Test
    void textLinesOfDifferentLength() throws IOException {
        Path d = TestFiles.tempDir("textmodel");
        Path tok = tokenizerJson(d);
        Files.copy(golden.resolve("config.json"), d.resolve("config.json"));
        Files.copy(golden.resolve("model.safetensors"), d.resolve("model.safetensors"));
        Path text = d.resolve("text.txt");
        Files.writeString(text, "hello world\nhello there world\n");
        Cli.run("capture", "--model", d.toString(), "--text", text.toString(), "--quiet", "--out", d.resolve("o").toString())
                .assertUserError("text.txt", "line 2");
        Files.writeString(text, "");
        Cli.run("capture", "--model", d.toString(), "--text", text.toString(), "--quiet", "--out", d.resolve("o").toString())
                .assertUserError("text.txt", "empty");
        Files.delete(tok);
        Files.writeString(text, "hello world\n");
        Cli.run("capture", "--model", d.toString(), "--text", text.toString(), "--quiet", "--out", d.resolve("o").toString())
                .assertUserError("no tokenizer.json");
    }

    @Test
    void badLayerList() throws IOException {
        Cli.run("capture", "--model", golden.toString(), "--ids", ids().toString(), "--layers", "0,5", "--quiet",
                "--out", TestFiles.tempDir("o").toString()).assertUserError("--layers", "5", "0-2");
    }

    @Test
    void debugShowsTheStackTrace() throws IOException {
        Cli r = Cli.run("capture", "--debug", "--model", "target/nope", "--ids", ids().toString(), "--out", "target/x");
        if (r.code() != 2 || !r.err().contains("at org.emergence")) throw new AssertionError(r.err());
    }

    /** The MiniLM WordPiece tokenizer from the bundled jar, copied into a model directory. */
    static Path tokenizerJson(Path dir) throws IOException {
        Path dst = dir.resolve("tokenizer.json");
        try (var in = BadInputTest.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(in, dst, StandardCopyOption.REPLACE_EXISTING);
        }
        return dst;
    }

    private interface Edit {
        String apply(String header);
    }

    private static String header(Path st) throws IOException {
        byte[] all = Files.readAllBytes(st);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(all, 8, (int) n, StandardCharsets.UTF_8);
    }

    /** Replaces the JSON header, keeping its byte length (padding with spaces) so offsets stay valid. */
    private static void writeHeader(Path st, String newHeader) throws IOException {
        byte[] all = Files.readAllBytes(st);
        int n = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] h = newHeader.getBytes(StandardCharsets.UTF_8);
        if (h.length > n) throw new IllegalStateException("edited header grew");
        byte[] padded = new byte[n];
        java.util.Arrays.fill(padded, (byte) ' ');
        System.arraycopy(h, 0, padded, 0, h.length);
        System.arraycopy(padded, 0, all, 8, n);
        Files.write(st, all);
    }

    private static void rewriteHeader(Path model, Edit edit) throws IOException {
        Path st = model.resolve("model.safetensors");
        String h = header(st);
        String e = edit.apply(h);
        writeHeader(st, e);
    }
}
