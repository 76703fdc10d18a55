package dev.specc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class OutputFormatTest {
    private static String print(OutputFormat format) throws IOException {
        StringWriter text = new StringWriter();
        format.print(new PrintWriter(text), () -> new ObjectMapper().createObjectNode().put("a", 1),
                out -> out.println("a table"));
        return text.toString();
    }

    @Test
    void jsonIsOneIndentedDocumentAndTextTheTable() throws IOException {
        assertEquals("{" + System.lineSeparator() + "  \"a\" : 1" + System.lineSeparator() + "}" + System.lineSeparator(),
                print(OutputFormat.json));
        assertEquals("a table" + System.lineSeparator(), print(OutputFormat.text));
    }

    @Test
    void summaryAndWeightsTakeTheSameFormats() {
        for (String command : new String[] {"summary", "weights"}) {
            TrainingCommandsTest.Result r = TrainingCommandsTest.specc(command, "--format", "xml", "x.yaml");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("Invalid value for option '--format': expected one of [text, json] (case-sensitive) "
                    + "but was 'xml'"), r.err());
        }
    }
}
