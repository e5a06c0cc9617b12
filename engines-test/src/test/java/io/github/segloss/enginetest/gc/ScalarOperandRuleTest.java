package io.github.segloss.enginetest.gc;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertTrue;

import io.github.segloss.example.SeglossTrain;
import io.github.segloss.loss.PixelCrossEntropyLoss;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.testng.annotations.Test;

/**
 * No code path of the library or the training example can put memory that Java frees into an
 * autograd graph: read from the compiled classes, so a new call site fails here before it corrupts
 * a gradient.
 *
 * <ul>
 *   <li>No {@code NDArray} or {@code NDArrays} arithmetic with a {@code Number} operand ({@code
 *       x.mul(0.4f)}): on PyTorch DJL wraps the number's Java buffer and closes it at once while
 *       autograd keeps it. Comparisons ({@code eq}, {@code gt}, …) and {@code clip} are not in this
 *       list: they save no operand for the backward pass.
 *   <li>In the library, no {@code NDManager.create} from host values outside {@code
 *       internal.HostArrays}, which copies them into memory that the engine owns.
 * </ul>
 */
public class ScalarOperandRuleTest {

    private static final String ND_ARRAY = "ai/djl/ndarray/NDArray";
    private static final String ND_ARRAYS = "ai/djl/ndarray/NDArrays";
    private static final String ND_MANAGER = "ai/djl/ndarray/NDManager";
    private static final String HOST_ARRAYS = "io/github/segloss/internal/HostArrays";

    private static final Set<String> ARITHMETIC =
            Set.of(
                    "add",
                    "sub",
                    "mul",
                    "div",
                    "mod",
                    "pow",
                    "maximum",
                    "minimum",
                    "addi",
                    "subi",
                    "muli",
                    "divi",
                    "modi",
                    "powi",
                    "maximumi",
                    "minimumi",
                    "rsub",
                    "rdiv",
                    "rmod",
                    "rpow",
                    "rsubi",
                    "rdivi",
                    "rmodi",
                    "rpowi");

    @Test
    public void libraryHasNoScalarArithmeticAndNoUncopiedHostArrays() {
        List<String> violations = scan(PixelCrossEntropyLoss.class, true);
        assertTrue(violations.isEmpty(), "in the library:\n" + String.join("\n", violations));
    }

    @Test
    public void trainingExampleHasNoScalarArithmetic() {
        List<String> violations = scan(SeglossTrain.class, false);
        assertTrue(
                violations.isEmpty(), "in the training example:\n" + String.join("\n", violations));
    }

    /** The rule catches what it is meant to catch: this class's own forbidden calls. */
    @Test
    public void ruleFindsScalarArithmeticAndHostArrays() throws IOException {
        List<String> found = new ArrayList<>();
        try (InputStream in =
                ScalarOperandRuleTest.class.getResourceAsStream("ForbiddenCalls.class")) {
            check(in.readAllBytes(), true, found);
        }
        assertEquals(found.size(), 4, String.join("\n", found));
        assertTrue(found.get(0).contains("NDArray.mul(Number)"), found.get(0));
        assertTrue(found.get(1).contains("NDArrays.div(NDArray, Number)"), found.get(1));
        assertTrue(found.get(2).contains("NDManager.create"), found.get(2));
        assertTrue(found.get(3).contains("NDArray.maximum(Number)"), found.get(3));
    }

    private static List<String> scan(Class<?> anchor, boolean library) {
        List<String> violations = new ArrayList<>();
        Path location;
        try {
            location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        int[] classes = {0};
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        if (file.toString().endsWith(".class")) {
                            check(Files.readAllBytes(file), library, violations);
                            classes[0]++;
                        }
                    }
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (var entry : (Iterable<java.util.jar.JarEntry>) jar.stream()::iterator) {
                        if (entry.getName().endsWith(".class")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                check(in.readAllBytes(), library, violations);
                            }
                            classes[0]++;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(classes[0] > 10, "found only " + classes[0] + " classes in " + location);
        return violations;
    }

    private static void check(byte[] classFile, boolean library, List<String> violations) {
        ClassReader reader = new ClassReader(classFile);
        String className = reader.getClassName();
        reader.accept(
                new ClassVisitor(Opcodes.ASM9) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access,
                            String method,
                            String descriptor,
                            String signature,
                            String[] exceptions) {
                        return new MethodVisitor(Opcodes.ASM9) {
                            private int line;

                            @Override
                            public void visitLineNumber(int number, Label start) {
                                line = number;
                            }

                            @Override
                            public void visitMethodInsn(
                                    int opcode,
                                    String owner,
                                    String name,
                                    String called,
                                    boolean isInterface) {
                                String problem = problem(owner, name, called);
                                if (problem != null
                                        && !(owner.equals(ND_MANAGER)
                                                && className.equals(HOST_ARRAYS))
                                        && (library || !owner.equals(ND_MANAGER))) {
                                    violations.add(
                                            className.replace('/', '.')
                                                    + "."
                                                    + method
                                                    + " (line "
                                                    + line
                                                    + "): "
                                                    + problem);
                                }
                            }
                        };
                    }
                },
                ClassReader.SKIP_FRAMES);
    }

    /** What is wrong with a call, or null. */
    private static String problem(String owner, String name, String descriptor) {
        String parameters = descriptor.substring(1, descriptor.indexOf(')'));
        boolean number = parameters.contains("Ljava/lang/Number;");
        if (owner.equals(ND_ARRAY) && number && ARITHMETIC.contains(name)) {
            return "NDArray." + name + "(Number): use an engine-owned scalar (HostArrays.scalar)";
        }
        if (owner.equals(ND_ARRAYS) && number && ARITHMETIC.contains(name)) {
            return "NDArrays."
                    + name
                    + "("
                    + parameters
                            .replace("Lai/djl/ndarray/NDArray;", "NDArray, ")
                            .replace("Ljava/lang/Number;", "Number")
                    + "): use an engine-owned scalar (HostArrays.scalar)";
        }
        if (owner.equals(ND_MANAGER)
                && name.equals("create")
                && !parameters.startsWith("Lai/djl/ndarray/types/Shape;")
                && !parameters.startsWith("Ljava/lang/String;")) {
            return "NDManager.create"
                    + descriptor.substring(0, descriptor.indexOf(')') + 1)
                    + " from host values: use HostArrays, which copies them into engine memory";
        }
        return null;
    }
}
