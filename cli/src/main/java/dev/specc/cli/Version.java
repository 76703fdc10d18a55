package dev.specc.cli;

import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Version.class.getPackage().getImplementationVersion();
        return new String[] {"specc " + (v == null ? "dev" : v) + " (Java " + System.getProperty("java.version") + ")"};
    }
}
