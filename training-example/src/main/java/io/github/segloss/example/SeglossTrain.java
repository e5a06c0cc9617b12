package io.github.segloss.example;

import io.github.segloss.example.cli.EvaluateCommand;
import io.github.segloss.example.cli.ExportSyntheticCommand;
import io.github.segloss.example.cli.MaskCommand;
import io.github.segloss.example.cli.PredictCommand;
import io.github.segloss.example.cli.SemanticCommand;
import io.github.segloss.example.files.OutputWriteException;
import io.github.segloss.example.report.Headless;
import io.github.segloss.example.train.OutOfMemory;
import io.github.segloss.example.train.TrainingDivergedException;
import io.github.segloss.example.train.TrainingOutOfMemoryException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code segloss-train} command. Without a subcommand it runs {@code semantic}: {@code
 * segloss-train} alone trains the PSPNet-style model on the built-in synthetic data on PyTorch CPU,
 * and {@code segloss-train --epochs 3} is {@code segloss-train semantic --epochs 3}.
 */
@Command(
        name = "segloss-train",
        mixinStandardHelpOptions = true,
        version = "segloss-train 0.1.0",
        subcommands = {
            SemanticCommand.class,
            MaskCommand.class,
            PredictCommand.class,
            EvaluateCommand.class,
            ExportSyntheticCommand.class
        },
        description =
                "Train and fine-tune segmentation models with segloss. Without a subcommand, trains"
                        + " the semantic model on synthetic data.")
public final class SeglossTrain implements Callable<Integer> {

    /** Exit code for bad options, a bad dataset or other bad input. */
    public static final int USAGE = 2;

    /** Exit code for a run that diverged: a loss or the parameters stopped being finite. */
    public static final int DIVERGED = 3;

    /** Exit code for running out of memory, on a batch or elsewhere. */
    public static final int OUT_OF_MEMORY = 4;

    /**
     * Exit code for an output that cannot be written: a full disk, a read-only folder, an {@code
     * --output} that is a file ({@link OutputWriteException}).
     */
    public static final int CANNOT_WRITE = 5;

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Headless.ensure();
        // DJL's start-up messages are not for the user; warnings and errors still show.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        // DJL's loader logs a failed batch before rethrowing it; execute() reports it in one line.
        System.setProperty(
                "org.slf4j.simpleLogger.log.ai.djl.training.dataset.DataIterable", "off");
        System.exit(execute(args));
    }

    /**
     * Runs the command.
     *
     * @param args the command line
     * @return 0 on success; with one line on standard error, 2 for bad input (and an output folder
     *     that another run holds), 3 for a diverged run ({@link TrainingDivergedException}), 4 for
     *     running out of memory, 5 for an output that cannot be written ({@link
     *     OutputWriteException}); 1 for other failures
     */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new SeglossTrain());
        String[] arguments = args;
        boolean topLevel =
                args.length > 0
                        && (commandLine.getSubcommands().containsKey(args[0])
                                || List.of("-h", "--help", "-V", "--version").contains(args[0]));
        if (!topLevel) {
            arguments = new String[args.length + 1];
            arguments[0] = "semantic";
            System.arraycopy(args, 0, arguments, 1, args.length);
        }
        commandLine.setParameterExceptionHandler(
                (exception, rejected) -> {
                    PrintWriter err = exception.getCommandLine().getErr();
                    err.println(
                            "segloss-train: "
                                    + exception.getMessage()
                                    + " (see segloss-train --help)");
                    return USAGE;
                });
        commandLine.setExecutionExceptionHandler(
                (exception, command, parseResult) -> {
                    PrintWriter err = command.getErr();
                    TrainingDivergedException diverged =
                            cause(exception, TrainingDivergedException.class);
                    if (diverged != null) {
                        err.println("segloss-train: " + diverged.getMessage());
                        return DIVERGED;
                    }
                    TrainingOutOfMemoryException outOfMemory =
                            cause(exception, TrainingOutOfMemoryException.class);
                    if (outOfMemory != null) {
                        err.println("segloss-train: " + outOfMemory.getMessage());
                        return OUT_OF_MEMORY;
                    }
                    OutputWriteException unwritable = cause(exception, OutputWriteException.class);
                    if (unwritable != null) {
                        err.println("segloss-train: " + unwritable.getMessage());
                        return CANNOT_WRITE;
                    }
                    IllegalArgumentException badInput = badInput(exception);
                    if (badInput != null) {
                        err.println("segloss-train: " + badInput.getMessage());
                        return USAGE;
                    }
                    if (OutOfMemory.isOutOfMemory(exception)) {
                        err.println("segloss-train: " + OutOfMemory.ELSEWHERE);
                        return OUT_OF_MEMORY;
                    }
                    throw exception;
                });
        try {
            return commandLine.execute(arguments);
        } catch (OutOfMemoryError e) {
            // picocli passes exceptions to the handler above, but lets errors through
            commandLine.getErr().println("segloss-train: " + OutOfMemory.ELSEWHERE);
            commandLine.getErr().flush();
            return OUT_OF_MEMORY;
        }
    }

    /** The first failure of a type in a failure's cause chain, or null. */
    private static <T extends Throwable> T cause(Throwable exception, Class<T> type) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /**
     * Finds the bad input behind a failure: an {@link IllegalArgumentException} itself or as a
     * cause (DJL wraps what the data loader threads throw).
     */
    private static IllegalArgumentException badInput(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException badInput) {
                return badInput;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** {@inheritDoc} Only reached with no subcommand, which {@link #execute} never passes. */
    @Override
    public Integer call() {
        return USAGE;
    }
}
