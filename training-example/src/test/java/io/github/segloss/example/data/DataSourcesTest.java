package io.github.segloss.example.data;

import static org.testng.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testng.annotations.Test;

/** The arguments of {@link DataSources#open}. */
public class DataSourcesTest {

    @Test
    public void formatNamesIgnoreCase() {
        assertEquals(DataSources.open("Synthetic", null, "val", 0, 0).size(), 50);
    }

    @Test
    public void unknownFormatIsRejected() {
        Expect.illegalArgument(
                () -> DataSources.open("cityscapes", null, "train", 0, 0),
                "format must be one of [synthetic, folder, voc, coco]",
                "got cityscapes");
    }

    @Test
    public void splitOtherThanTrainOrValIsRejectedForSynthetic() {
        Expect.illegalArgument(
                () -> DataSources.open("synthetic", null, "test", 0, 0),
                "split of format synthetic must be train or val",
                "got test");
    }

    @Test
    public void splitThatIsAPathIsRejected() {
        Expect.illegalArgument(
                () -> DataSources.open("voc", Path.of("."), "../train", 0, 0),
                "split must be a plain name",
                "got ../train");
    }

    @Test
    public void valFractionOutsideZeroToOneIsRejected() {
        Expect.illegalArgument(
                () -> DataSources.open("folder", Path.of("."), "train", 1.0, 0),
                "valFraction must be in [0, 1)",
                "got 1.0");
    }

    @Test
    public void fileFormatsNeedARoot() {
        Expect.illegalArgument(
                () -> DataSources.open("coco", null, "train", 0, 0),
                "format coco needs a dataset folder");
    }

    @Test
    public void rootThatIsAFileIsRejected() throws IOException {
        Path file = Files.createTempFile("segloss", ".txt");
        try {
            Expect.illegalArgument(
                    () -> DataSources.open("voc", file, "train", 0, 0),
                    file.toString(),
                    "must be a folder");
        } finally {
            Files.delete(file);
        }
    }
}
