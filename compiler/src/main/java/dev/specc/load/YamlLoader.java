package dev.specc.load;

import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a spec file into an {@link SNode} tree. SnakeYAML is used only to compose the node graph
 * (no Constructor runs, so no class is ever instantiated from a document), with limits on size,
 * aliases and nesting; anything wrong becomes a located diagnostic, never an exception.
 */
public final class YamlLoader {
    public static final int MAX_BYTES = 1 << 20;
    static final int MAX_ALIASES = 50;
    static final int MAX_DEPTH = 64;
    static final int MAX_NODES = 200_000;

    private final Diagnostics diagnostics;
    private String file;
    private int nodeCount;

    public YamlLoader(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** The root of the file, or null after reporting why it cannot be read. */
    public SNode load(Path path) {
        file = path.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                diagnostics.error(SourcePos.ofFile(file), "is a directory, not a spec file");
                return null;
            }
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                diagnostics.error(SourcePos.ofFile(file), "file is " + size + " bytes; a spec may be at most "
                        + MAX_BYTES + " bytes (1 MiB)");
                return null;
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            diagnostics.error(SourcePos.ofFile(file), "no such file");
            return null;
        } catch (IOException e) {
            diagnostics.error(SourcePos.ofFile(file), "cannot read file: " + e.getMessage());
            return null;
        }
        return parse(file, bytes);
    }

    /** Parses bytes that claim to be a spec called {@code name}. */
    public SNode parse(String name, byte[] bytes) {
        file = name;
        nodeCount = 0;
        if (bytes.length > MAX_BYTES) {
            diagnostics.error(SourcePos.ofFile(file), "file is " + bytes.length + " bytes; a spec may be at most "
                    + MAX_BYTES + " bytes (1 MiB)");
            return null;
        }
        String text = decodeUtf8(bytes);
        if (text == null) return null;
        if (text.startsWith("\uFEFF")) text = text.substring(1);

        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_DEPTH);
        options.setCodePointLimit(MAX_BYTES);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        Node root;
        try {
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null && e.getProblemMark() != null ? e.getContext() + ": " : "";
            diagnostics.error(mark == null ? SourcePos.ofFile(file) : at(mark), "malformed YAML: " + context + problem);
            return null;
        } catch (YAMLException e) {
            diagnostics.error(SourcePos.ofFile(file), "malformed YAML: " + firstLine(e.getMessage()));
            return null;
        } catch (RuntimeException | StackOverflowError e) {
            diagnostics.error(SourcePos.ofFile(file), "malformed YAML: " + e.getClass().getSimpleName());
            return null;
        }
        if (root == null) {
            diagnostics.error(SourcePos.ofFile(file), "the file is empty; a spec is a YAML mapping");
            return null;
        }
        try {
            return convert(root);
        } catch (TooLarge e) {
            diagnostics.error(SourcePos.ofFile(file), "the document expands to more than " + MAX_NODES
                    + " nodes through its aliases; refusing to read it");
            return null;
        }
    }

    private static final class TooLarge extends RuntimeException {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    private String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (!result.isError()) return out.flip().toString();
        int bad = in.position();
        String prefix = new String(bytes, 0, bad, StandardCharsets.UTF_8);
        int line = 1 + (int) prefix.chars().filter(c -> c == '\n').count();
        int column = bad - (prefix.lastIndexOf('\n') + 1) + 1;
        diagnostics.error(new SourcePos(file, line, prefix.length() - prefix.lastIndexOf('\n')),
                String.format(Locale.ROOT, "not valid UTF-8: byte 0x%02X at offset %d (line %d, byte %d of the line); "
                        + "specs must be UTF-8 text", bytes[bad] & 0xff, bad, line, column));
        return null;
    }

    private SNode convert(Node node) {
        if (++nodeCount > MAX_NODES) throw new TooLarge();
        SourcePos pos = at(node.getStartMark());
        if (node instanceof MappingNode map) {
            List<SMap.Entry> entries = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (NodeTuple tuple : map.getValue()) {
                Node keyNode = tuple.getKeyNode();
                SourcePos keyPos = at(keyNode.getStartMark());
                if (!(keyNode instanceof ScalarNode keyScalar) || keyNode.getTag().equals(Tag.NULL)) {
                    diagnostics.error(keyPos, "a key must be a plain name");
                    continue;
                }
                if (keyNode.getTag().equals(Tag.MERGE)) {
                    diagnostics.error(keyPos, "merge keys (<<) are not supported; use 'extends:' or a block");
                    continue;
                }
                String key = keyScalar.getValue();
                if (!seen.add(key)) {
                    diagnostics.error(keyPos, "duplicate key '" + key + "'");
                    continue;
                }
                entries.add(new SMap.Entry(key, keyPos, convert(tuple.getValueNode())));
            }
            return new SMap(entries, pos);
        }
        if (node instanceof SequenceNode seq) {
            List<SNode> items = new ArrayList<>();
            for (Node item : seq.getValue()) items.add(convert(item));
            return new SList(items, pos);
        }
        ScalarNode scalar = (ScalarNode) node;
        boolean plain = scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
        return new SScalar(scalarValue(scalar, pos), plain, pos);
    }

    private Object scalarValue(ScalarNode scalar, SourcePos pos) {
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        if (tag.equals(Tag.STR)) return text;
        if (tag.equals(Tag.NULL)) return null;
        if (tag.equals(Tag.BOOL)) return BOOLEANS.get(text.toLowerCase(Locale.ROOT));
        if (tag.equals(Tag.INT)) return parseInt(text, pos);
        if (tag.equals(Tag.FLOAT)) return parseFloat(text);
        diagnostics.error(pos, "the tag " + tag + " is not allowed in a spec (only plain YAML values)");
        return text;
    }

    private static final Map<String, Boolean> BOOLEANS = Map.of(
            "true", true, "yes", true, "on", true, "y", true,
            "false", false, "no", false, "off", false, "n", false);

    private Object parseInt(String text, SourcePos pos) {
        String t = text.replace("_", "");
        int sign = 1;
        if (t.startsWith("-") || t.startsWith("+")) {
            sign = t.startsWith("-") ? -1 : 1;
            t = t.substring(1);
        }
        BigInteger value;
        if (t.startsWith("0x")) value = new BigInteger(t.substring(2), 16);
        else if (t.startsWith("0b")) value = new BigInteger(t.substring(2), 2);
        else if (t.startsWith("0o")) value = new BigInteger(t.substring(2), 8);
        else if (t.contains(":")) value = BigInteger.valueOf(sexagesimal(t));
        else value = new BigInteger(t);
        value = value.multiply(BigInteger.valueOf(sign));
        if (value.bitLength() > 63) {
            diagnostics.error(pos, "integer " + text + " is too large");
            return 0L;
        }
        return value.longValue();
    }

    private static long sexagesimal(String t) {
        long v = 0;
        for (String part : t.split(":")) v = v * 60 + Long.parseLong(part);
        return v;
    }

    private static Double parseFloat(String text) {
        String t = text.replace("_", "").toLowerCase(Locale.ROOT);
        return switch (t) {
            case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
            case "-.inf" -> Double.NEGATIVE_INFINITY;
            case ".nan" -> Double.NaN;
            default -> Double.parseDouble(t);
        };
    }

    private SourcePos at(Mark mark) {
        return new SourcePos(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String firstLine(String message) {
        if (message == null) return "unreadable document";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
