package dev.specc.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of specc itself, from the project version that the build writes into
 * specc-version.properties: what {@code specc --version} prints and every run directory records.
 */
public final class Versions {
    private static final String VERSION = read();

    private Versions() {
    }

    public static String specc() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Versions.class.getResourceAsStream("specc-version.properties")) {
            if (in == null) throw new IllegalStateException("specc-version.properties is missing from the runtime classes");
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
