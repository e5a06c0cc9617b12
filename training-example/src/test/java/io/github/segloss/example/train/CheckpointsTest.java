package io.github.segloss.example.train;

import static org.testng.Assert.assertEquals;
import static org.testng.Assert.assertFalse;
import static org.testng.Assert.assertTrue;
import static org.testng.Assert.expectThrows;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import com.google.gson.JsonObject;
import io.github.segloss.example.model.PspNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.testng.annotations.Test;

/** Checkpoints: atomic folders, cross-engine loading, and partial loading for new classes. */
public class CheckpointsTest {

    private static PspNet model(NDManager manager, int classes, float sigma) {
        PspNet net = new PspNet(classes, 8);
        net.setInitializer(new NormalInitializer(sigma), Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        return net;
    }

    private static float[] output(PspNet net, NDManager manager) {
        return net.forward(
                        new ParameterStore(manager, false),
                        new NDList(manager.ones(new Shape(1, 3, 32, 32))),
                        false)
                .head()
                .toFloatArray();
    }

    @Test
    public void aCheckpointWrittenOnPyTorchLoadsOnMxNet() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        float[] expected;
        try (NDManager pt = NDManager.newBaseManager("PyTorch")) {
            PspNet net = model(pt, 4, 0.1f);
            expected = output(net, pt);
            Checkpoints.save(folder, 3, net, new JsonObject());
        }
        Path latest = Checkpoints.latest(folder).orElseThrow();
        assertEquals(latest.getFileName().toString(), "epoch-0003");
        assertEquals(Checkpoints.description(latest).get("epoch").getAsInt(), 3);
        try (NDManager mx = NDManager.newBaseManager("MXNet")) {
            PspNet net = model(mx, 4, 0.5f);
            List<String> skipped = Checkpoints.load(latest, net, mx);
            assertTrue(skipped.isEmpty(), "skipped " + skipped);
            float[] actual = output(net, mx);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(actual[i], expected[i], 1e-4f);
            }
        }
        try (Stream<Path> left = Files.list(folder)) {
            assertEquals(left.count(), 1, "no temporary folder is left");
        }
    }

    @Test
    public void changedClassesReinitialiseOnlyTheClassLayers() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Checkpoints.save(folder, 1, model(manager, 4, 0.1f), new JsonObject());
            PspNet other = model(manager, 6, 0.1f);
            List<String> skipped =
                    Checkpoints.load(Checkpoints.latest(folder).orElseThrow(), other, manager);
            assertFalse(skipped.isEmpty());
            for (String name : skipped) {
                assertTrue(name.matches("\\d+(head|aux)_.*"), name + " is not a class layer");
            }
            assertTrue(skipped.size() <= 4, "only the last conv of each head: " + skipped);
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void theDescriptionRecordsTheSizeOfEveryFile() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Path saved = Checkpoints.save(folder, 2, model(manager, 4, 0.1f), new JsonObject());
            JsonObject files = Checkpoints.description(saved).getAsJsonObject("files");
            assertEquals(files.keySet(), Set.of(Checkpoints.PARAMETERS));
            assertEquals(
                    files.get(Checkpoints.PARAMETERS).getAsLong(),
                    Files.size(saved.resolve(Checkpoints.PARAMETERS)));
            assertTrue(Checkpoints.isComplete(saved));
        }
    }

    @Test
    public void aTemporaryFolderOfAKilledWriteIsIgnoredAndRemoved() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Checkpoints.save(folder, 1, model(manager, 4, 0.1f), new JsonObject());
        }
        // what a save killed after writing the parameters leaves: a temporary folder, half full
        Path unfinished = Files.createDirectory(folder.resolve(".epoch-2-12345"));
        Files.write(unfinished.resolve(Checkpoints.PARAMETERS), new byte[] {1, 2, 3});
        assertEquals(
                Checkpoints.latest(folder).orElseThrow().getFileName().toString(), "epoch-0001");
        assertEquals(Checkpoints.removeUnfinished(folder), List.of(".epoch-2-12345"));
        assertEquals(names(folder), List.of("epoch-0001"));
    }

    @Test
    public void aCutCheckpointIsNotCompleteAndTheOneBeforeIsTaken() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PspNet net = model(manager, 4, 0.1f);
            Checkpoints.save(folder, 1, net, new JsonObject());
            Checkpoints.save(folder, 2, net, new JsonObject());
            Checkpoints.save(folder, 3, net, new JsonObject());
        }
        Path cut = folder.resolve("epoch-0003").resolve(Checkpoints.PARAMETERS);
        byte[] bytes = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Path bad = folder.resolve("epoch-0002").resolve(Checkpoints.DESCRIPTION);
        Files.writeString(bad, "{\"epoch\": 2, \"fil");
        assertFalse(Checkpoints.isComplete(folder.resolve("epoch-0003")), "cut parameters");
        assertFalse(Checkpoints.isComplete(folder.resolve("epoch-0002")), "cut description");
        assertEquals(
                Checkpoints.latest(folder).orElseThrow().getFileName().toString(), "epoch-0001");
    }

    @Test
    public void damagedParametersOfTheSameSizeAreRefusedNamingTheFile() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt-damaged");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Checkpoints.save(folder, 1, model(manager, 4, 0.1f), new JsonObject());
            Path file = folder.resolve("epoch-0001").resolve(Checkpoints.PARAMETERS);
            byte[] bytes = Files.readAllBytes(file);
            // the size checkpoint.json records still matches: only the content is damaged
            Arrays.fill(bytes, 0, bytes.length / 2, (byte) 0xff);
            Files.write(file, bytes);
            assertTrue(Checkpoints.isComplete(folder.resolve("epoch-0001")));

            IllegalArgumentException refused =
                    expectThrows(
                            IllegalArgumentException.class,
                            () ->
                                    Checkpoints.load(
                                            folder.resolve("epoch-0001"),
                                            model(manager, 4, 0.1f),
                                            manager));
            assertTrue(refused.getMessage().startsWith(file + ": "), refused.getMessage());
            assertTrue(refused.getMessage().contains("damaged"), refused.getMessage());
        }
    }

    @Test
    public void damageInsideTheWeightsIsRefusedByTheDigest() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt-bitrot");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Checkpoints.save(folder, 1, model(manager, 4, 0.1f), new JsonObject());
            Path checkpoint = folder.resolve("epoch-0001");
            Path file = checkpoint.resolve(Checkpoints.PARAMETERS);
            byte[] bytes = Files.readAllBytes(file);
            // 64 bytes inside the largest weights: the file still decodes, into other numbers
            Arrays.fill(bytes, bytes.length / 2, bytes.length / 2 + 64, (byte) 0x3f);
            Files.write(file, bytes);
            assertTrue(Checkpoints.isComplete(checkpoint));
            IllegalArgumentException refused =
                    expectThrows(
                            IllegalArgumentException.class,
                            () -> Checkpoints.load(checkpoint, model(manager, 4, 0.1f), manager));
            assertTrue(refused.getMessage().startsWith(file + ": damaged"), refused.getMessage());
            assertTrue(refused.getMessage().contains("SHA-256"), refused.getMessage());
        }
    }

    @Test
    public void aCheckpointWithoutDigestsStillLoads() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt-nodigest");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Checkpoints.save(folder, 1, model(manager, 4, 0.1f), new JsonObject());
            Path checkpoint = folder.resolve("epoch-0001");
            JsonObject description = Checkpoints.description(checkpoint);
            assertTrue(description.has("sha256"), description.toString());
            description.remove("sha256");
            Files.writeString(checkpoint.resolve(Checkpoints.DESCRIPTION), description.toString());
            assertEquals(Checkpoints.load(checkpoint, model(manager, 4, 0.3f), manager), List.of());
        }
    }

    @Test
    public void aCheckpointWhoseDescriptionNamesAnotherEpochIsNotComplete() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Checkpoints.save(folder, 4, model(manager, 4, 0.1f), new JsonObject());
        }
        Files.move(folder.resolve("epoch-0004"), folder.resolve("epoch-0005"));
        assertFalse(Checkpoints.isComplete(folder.resolve("epoch-0005")));
        assertTrue(Checkpoints.latest(folder).isEmpty());
    }

    @Test
    public void savingAnEpochAgainReplacesItAndLeavesNothingElse() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PspNet net = model(manager, 4, 0.1f);
            JsonObject first = new JsonObject();
            first.addProperty("run", "first");
            Checkpoints.save(folder, 1, net, first);
            JsonObject second = new JsonObject();
            second.addProperty("run", "second");
            Path saved = Checkpoints.save(folder, 1, net, second);
            assertEquals(Checkpoints.description(saved).get("run").getAsString(), "second");
        }
        assertEquals(names(folder), List.of("epoch-0001"));
    }

    @Test
    public void latestOrdersEpochsByNumberBeyondFourDigits() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PspNet net = model(manager, 4, 0.1f);
            Checkpoints.save(folder, 9999, net, new JsonObject());
            Checkpoints.save(folder, 10000, net, new JsonObject());
        }
        assertEquals(
                Checkpoints.latest(folder).orElseThrow().getFileName().toString(), "epoch-10000");
    }

    @Test
    public void checkpointFoldersGetTheUsersUmaskLikeAnyNewFolder() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt-mode");
        Path reference = Files.createDirectory(folder.resolve("reference"));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Path saved = Checkpoints.save(folder, 1, model(manager, 2, 0.1f), new JsonObject());
            assertEquals(
                    Files.getPosixFilePermissions(saved),
                    Files.getPosixFilePermissions(reference),
                    "as a folder created by the user");
        }
    }

    @Test
    public void aFullDiskDuringAWriteDeletesTheTemporaryFolderAndNamesTheCheckpoint()
            throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt-full");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PspNet net = model(manager, 2, 0.1f);
            Checkpoints.save(folder, 1, net, new JsonObject());
            for (String stage :
                    List.of("checkpoint:2:created", "checkpoint:2", "checkpoint:2:described")) {
                System.setProperty(FaultHooks.DISK_FULL, stage);
                try {
                    IOException thrown =
                            expectThrows(
                                    IOException.class,
                                    () -> Checkpoints.save(folder, 2, net, new JsonObject()));
                    assertEquals(
                            thrown.getMessage(),
                            "cannot write "
                                    + folder.resolve("epoch-0002")
                                    + ": No space left on device",
                            stage);
                } finally {
                    System.clearProperty(FaultHooks.DISK_FULL);
                }
                try (Stream<Path> left = Files.list(folder)) {
                    assertEquals(
                            left.map(p -> p.getFileName().toString()).toList(),
                            List.of("epoch-0001"),
                            stage + ": no temporary folder is left");
                }
            }
        }
    }

    @Test
    public void aWholeCheckpointLeftUnrenamedIsPutInPlaceAndACutOneRemoved() throws IOException {
        Path folder = Files.createTempDirectory("segloss-ckpt-recover");
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            PspNet net = model(manager, 2, 0.1f);
            Path first = Checkpoints.save(folder, 1, net, new JsonObject());
            Path second = Checkpoints.save(folder, 2, net, new JsonObject());
            Files.move(first, folder.resolve(".epoch-1-whole"));
            Files.move(second, folder.resolve(".epoch-2-cut"));
            Files.delete(folder.resolve(".epoch-2-cut").resolve(Checkpoints.PARAMETERS));
        }
        assertEquals(Checkpoints.recoverFinished(folder), List.of(folder.resolve("epoch-0001")));
        assertTrue(Checkpoints.isComplete(folder.resolve("epoch-0001")));
        assertEquals(Checkpoints.removeUnfinished(folder), List.of(".epoch-2-cut"));
        assertEquals(Checkpoints.latest(folder).orElseThrow(), folder.resolve("epoch-0001"));
    }
}
