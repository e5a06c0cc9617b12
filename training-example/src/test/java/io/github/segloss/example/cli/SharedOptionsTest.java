package io.github.segloss.example.cli;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.testng.annotations.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The two training tasks take the same options with the same defaults and meaning, except the few
 * that only one task has and the three whose defaults are the task's own: what the shared run
 * skeleton needs can no longer drift between the tasks.
 */
public class SharedOptionsTest {

    private static final Set<String> SEMANTIC_ONLY =
            Set.of("--loss", "--class-weights", "--aux-weight", "--torchscript");

    private static final Set<String> MASK_ONLY =
            Set.of("--class-agnostic", "--jitter", "--max-rois-per-image");

    private static final Set<String> OWN_DEFAULTS = Set.of("--format", "--epochs", "--output");

    @Test
    public void bothTasksShareEveryOtherOptionWithItsDefaultAndHelp() {
        Map<String, OptionSpec> semantic = options(new SemanticCommand());
        Map<String, OptionSpec> mask = options(new MaskCommand());
        Set<String> semanticShared = new TreeSet<>(semantic.keySet());
        semanticShared.removeAll(SEMANTIC_ONLY);
        Set<String> maskShared = new TreeSet<>(mask.keySet());
        maskShared.removeAll(MASK_ONLY);
        assertEquals(maskShared, semanticShared, "options that only one task has");
        for (String name : semanticShared) {
            OptionSpec a = semantic.get(name);
            OptionSpec b = mask.get(name);
            if (!OWN_DEFAULTS.contains(name)) {
                assertEquals(b.defaultValue(), a.defaultValue(), name + ": default");
                assertEquals(b.description(), a.description(), name + ": help");
            }
            assertEquals(b.type(), a.type(), name + ": type");
        }
        for (String name :
                new String[] {"--val-fraction", "--backbone-lr-scale", "--freeze-bn-stats"}) {
            assertTrue(semanticShared.contains(name), name + " is shared");
        }
    }

    private static Map<String, OptionSpec> options(Object command) {
        Map<String, OptionSpec> options = new TreeMap<>();
        for (OptionSpec option : new CommandLine(command).getCommandSpec().options()) {
            options.put(option.longestName(), option);
        }
        return options;
    }
}
