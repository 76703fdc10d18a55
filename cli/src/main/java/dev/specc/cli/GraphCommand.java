package dev.specc.cli;

import dev.specc.diag.UsageException;
import dev.specc.ir.Conv2d;
import dev.specc.ir.Dense;
import dev.specc.ir.LayerSpec;
import dev.specc.ir.Model;
import dev.specc.ir.Pool2d;
import dev.specc.runtime.io.AtomicFiles;
import dev.specc.shapes.Analysis;
import dev.specc.shapes.AnalyzedNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "graph", description = "Draw the network as Graphviz DOT, or as SVG, PNG or PDF through Graphviz's dot "
        + "when it is installed.")
final class GraphCommand implements Callable<Integer> {
    /** What graph writes; the rendered ones need Graphviz's dot. */
    enum GraphFormat { dot, svg, png, pdf }

    @Parameters(paramLabel = "SPEC", description = "The spec file.")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write to FILE instead of standard output; its extension picks the format: .dot or .gv for DOT, "
                    + ".svg, .png or .pdf rendered with dot.")
    Path output;

    @Option(names = "--format", description = "dot, svg, png or pdf (default: from the output file's extension, else dot).")
    GraphFormat format;

    @Mixin
    SpecOptions options;

    @Override
    public Integer call() throws Exception {
        GraphFormat chosen = chooseFormat();
        if (output != null) ArgumentChecks.newFile("-o", output);
        if (chosen != GraphFormat.dot && !graphvizInstalled()) {
            throw new UsageException((output != null ? "-o " + output : "--format " + chosen) + " needs Graphviz's dot to "
                    + "render " + chosen.name().toUpperCase(Locale.ROOT) + ", and dot is not installed (apt-get install "
                    + "graphviz); write DOT instead with -o FILE.dot");
        }
        Analysis analysis = options.analyze(file);
        String dot = dot(analysis);
        byte[] bytes = chosen == GraphFormat.dot ? dot.getBytes(StandardCharsets.UTF_8) : render(dot, chosen);
        if (output == null) {
            System.out.write(bytes);
            System.out.flush();
        } else {
            AtomicFiles.write(output, bytes);
        }
        return Specc.OK;
    }

    /** --format, else the output file's extension; an extension that disagrees with --format is refused. */
    private GraphFormat chooseFormat() {
        GraphFormat byName = output == null ? null : formatOf(output);
        if (format != null) {
            if (byName != null && byName != format) {
                throw new UsageException("-o " + output + " names a ." + byName + " file, but --format is " + format
                        + "; make them agree");
            }
            return format;
        }
        return byName != null ? byName : GraphFormat.dot;
    }

    /** The format a file name asks for; null for no extension; refused for an extension graph cannot write. */
    private static GraphFormat formatOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot <= 0) return null;
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (extension.equals("gv")) return GraphFormat.dot;
        for (GraphFormat f : GraphFormat.values()) {
            if (f.name().equals(extension)) return f;
        }
        throw new UsageException("-o " + file + ": graph cannot write ." + extension + " files; expected .dot or .gv (DOT), "
                + ".svg, .png or .pdf (rendered with Graphviz), or give --format");
    }

    static String dot(Analysis a) {
        StringBuilder sb = new StringBuilder();
        sb.append("digraph ").append(quote(a.model().name())).append(" {\n");
        sb.append("  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fontsize=10];\n");
        sb.append("  edge [color=\"#555555\"];\n");
        sb.append("  ").append(quote(Model.INPUT)).append(" [label=").append(quote("input\n" + a.model().inputShape()))
                .append(", fillcolor=\"#eeeeee\"];\n");
        Map<String, List<AnalyzedNode>> byStage = new LinkedHashMap<>();
        for (AnalyzedNode n : a.nodes()) byStage.computeIfAbsent(n.node().stage(), k -> new ArrayList<>()).add(n);
        for (Map.Entry<String, List<AnalyzedNode>> e : byStage.entrySet()) {
            String indent = e.getKey().isEmpty() ? "  " : "    ";
            if (!e.getKey().isEmpty()) {
                sb.append("  subgraph ").append(quote("cluster_" + e.getKey())).append(" {\n    label=")
                        .append(quote(e.getKey())).append("; style=dashed; color=\"#999999\";\n");
            }
            for (AnalyzedNode n : e.getValue()) {
                sb.append(indent).append(quote(n.node().name())).append(" [label=")
                        .append(quote(n.node().name() + "\n" + describe(n.node().layer()) + "\n" + n.output()))
                        .append(", fillcolor=\"").append(color(n.node().layer())).append("\"];\n");
            }
            if (!e.getKey().isEmpty()) sb.append("  }\n");
        }
        for (AnalyzedNode n : a.nodes()) {
            for (String input : n.node().inputs()) {
                sb.append("  ").append(quote(input)).append(" -> ").append(quote(n.node().name())).append(";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    private static String describe(LayerSpec layer) {
        if (layer instanceof Conv2d c) {
            return "conv2d " + c.kh() + "x" + c.kw() + (c.sh() > 1 ? "/" + c.sh() : "") + (c.dh() > 1 ? " d" + c.dh() : "")
                    + ", " + c.filters();
        }
        if (layer instanceof Pool2d p) return p.kind() + " " + p.kh() + "x" + p.kw() + (p.sh() > 1 ? "/" + p.sh() : "");
        if (layer instanceof Dense d) return "dense " + d.units();
        return layer.kind();
    }

    private static String color(LayerSpec layer) {
        return switch (layer.kind()) {
            case "conv2d" -> "#cfe2f3";
            case "dense" -> "#d9ead3";
            case "batch_norm" -> "#fff2cc";
            case "add", "concat" -> "#f4cccc";
            case "max_pool", "avg_pool", "global_avg_pool", "global_max_pool" -> "#d9d2e9";
            default -> "#f3f3f3";
        };
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static boolean graphvizInstalled() {
        try {
            Process process = new ProcessBuilder("dot", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] render(String dot, GraphFormat format) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("dot", "-T" + format).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = process.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        }
        byte[] rendered = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("Graphviz 'dot' failed to render the graph as " + format);
        }
        return rendered;
    }
}
