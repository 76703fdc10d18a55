package dev.specc.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The --format of the commands that describe a spec or a file: a text table, or the same as an indented JSON document. */
enum OutputFormat {
    text, json;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Prints the document or the table to {@code out}, as this format says, and flushes it. */
    void print(PrintWriter out, Supplier<? extends JsonNode> document, Consumer<PrintWriter> table) throws IOException {
        if (this == json) {
            out.println(JSON.writeValueAsString(document.get()));
        } else {
            table.accept(out);
        }
        out.flush();
    }
}
