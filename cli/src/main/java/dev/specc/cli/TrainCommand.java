package dev.specc.cli;

import picocli.CommandLine.Command;

@Command(name = "train", description = "Train a spec with validation every epoch (no test evaluation).")
final class TrainCommand extends RunCommand {
    @Override
    boolean evaluateTest() {
        return false;
    }
}
