package dev.specc.cli;

import dev.specc.runtime.distributed.ClusterWorker;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import dev.specc.Pipeline;
import dev.specc.diag.Diagnostics;
import dev.specc.diag.SourcePos;
import dev.specc.diag.SpecException;
import dev.specc.diag.UsageException;
import dev.specc.runtime.Prepared;
import dev.specc.runtime.TrainingRun;
import dev.specc.runtime.run.RunDirectory;
import dev.specc.weights.WeightMapping;
import dev.specc.weights.WeightMappings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Train a spec with validation every epoch, then evaluate the best checkpoint on the "
        + "test split. Everything goes to runs/<spec>/<timestamp>/.")
class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", arity = "0..1",
            description = "The spec file (with --resume it may be left out: the run's own spec is used).")
    Path file;

    @Mixin
    RunOptions run;

    @Mixin
    ClusterOptions cluster;

    @Spec
    CommandSpec command;

    @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue an interrupted run from its last checkpoint.")
    Path resume;

    @Option(names = "--init-from", paramLabel = "FILE", description = "Start from weights: a safetensors file, a PyTorch "
            + "checkpoint (torch.save of a state dict) or a Keras .h5 file, matched by name and shape.")
    Path initFrom;

    @Option(names = "--mapping", paramLabel = "NAME|FILE", description = "How the weight file's names become the spec's: "
            + "a built-in mapping (torchvision-resnet, fyu-drn) or a YAML mapping file. Default: train.init_from's mapping; "
            + "for a PyTorch checkpoint of --init-from, the built-in mapping that fits it best.")
    String mapping;

    @Option(names = "--partial", description = "With --init-from: allow missing or reshaped weights (e.g. a new head).")
    boolean partial;

    boolean evaluateTest() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        if (initFrom != null) ArgumentChecks.existingFile("--init-from", initFrom, "a file of weights");
        WeightMapping weightMapping = mapping == null ? null : mapping();
        if (cluster.localWorkers != null) {
            LocalCluster.checkWorkers(cluster.localWorkers, Runtime.getRuntime().availableProcessors());
            if (cluster.cluster != null || cluster.taskIndex >= 0) {
                throw new UsageException("--local-workers starts its own cluster: leave out --cluster and --task-index");
            }
            checkMapping(weightMapping, prepare()); // the spec's and the options' mistakes are reported once, here, not by every worker
            ParseResult parsed = command.commandLine().getParseResult();
            return new LocalCluster(workerArguments(parsed.originalArgs()), cluster.localWorkers, System.out, System.err)
                    .run(parsed.hasMatchedOption("--threads"), run.threads);
        }
        Prepared prepared = prepare();
        ClusterWorker role = cluster.role(prepared.train().syncBatchNorm());
        checkMapping(weightMapping, prepared);
        TrainingRun.run(prepared, new TrainingRun.Options(run.runsDir, resume, initFrom, weightMapping, partial, evaluateTest(),
                run.threads, run.precision, System.out), role);
        return Specc.OK;
    }

    private void checkMapping(WeightMapping weightMapping, Prepared prepared) {
        if (weightMapping != null && initFrom == null && prepared.train().initFrom() == null) {
            throw new UsageException("--mapping " + mapping + ": there are no weights to map; give --init-from FILE or "
                    + "train.init_from");
        }
    }

    /** The command line for each worker: this one without --local-workers. */
    private List<String> workerArguments(List<String> original) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            String arg = original.get(i);
            if (arg.equals("--local-workers")) {
                i++;
            } else if (!arg.startsWith("--local-workers=")) {
                args.add(arg);
            }
        }
        if (args.isEmpty() || !args.get(0).equals(command.name())) args.add(0, command.name());
        return args;
    }

    /** --mapping, read before anything is compiled: a mistake in it is reported at its line in the file. */
    private WeightMapping mapping() throws SpecException {
        Diagnostics diagnostics = new Diagnostics();
        WeightMapping read = WeightMappings.named(mapping, "--mapping", SourcePos.ofFile("--mapping " + mapping), null, diagnostics);
        if (diagnostics.hasErrors()) throw new SpecException(diagnostics);
        return read;
    }

    private Prepared prepare() throws SpecException, IOException {
        // train.init_from's weights are read only by a run from the start without --init-from (which replaces them);
        // a run that has a checkpoint continues from it.
        if (resume != null) {
            RunDirectory existing = RunDirectory.open(resume);
            Pipeline.DataCheck check = existing.hasCheckpoint() || initFrom != null ? Pipeline.DataCheck.DATA_ONLY
                    : Pipeline.DataCheck.REQUIRED;
            return file == null ? Prepared.ofRun(existing, run.sets, run.data, check)
                    : Prepared.of(file, run.sets, run.data, check);
        } else if (file == null) {
            throw new UsageException("missing SPEC: give the spec file to train (or --resume RUN_DIR to continue a run)");
        }
        return Prepared.of(file, run.sets, run.data, initFrom != null ? Pipeline.DataCheck.DATA_ONLY : Pipeline.DataCheck.REQUIRED);
    }
}
