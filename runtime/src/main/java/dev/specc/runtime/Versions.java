package dev.specc.runtime;

/** The version of specc itself, from the jar manifest ("dev" when run from classes). */
public final class Versions {
    private Versions() {
    }

    public static String specc() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
