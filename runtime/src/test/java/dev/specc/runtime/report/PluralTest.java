package dev.specc.runtime.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PluralTest {
    @Test
    void oneTakesTheSingularAndEveryOtherCountThePlural() {
        assertEquals("1 epoch", Plural.of(1, "epoch"));
        assertEquals("0 epochs", Plural.of(0, "epoch"));
        assertEquals("3 unreadable files", Plural.of(3, "unreadable file"));
        assertEquals("2 classes", Plural.of(2, "class"));
        assertEquals("1 class", Plural.of(1, "class"));
    }
}
