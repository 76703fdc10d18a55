package dev.specc.cli;

import dev.specc.runtime.Versions;
import picocli.CommandLine;

final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"specc " + Versions.specc() + " (Java " + System.getProperty("java.version") + ")"};
    }
}
