package io.github.segloss.example.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses {@code --devices cpu|gpu|gpu:0,1}. */
public final class Devices {

    private Devices() {}

    /**
     * Resolves the devices to train on.
     *
     * @param text {@code cpu}, {@code gpu} (every GPU of the engine) or {@code gpu:i,j,...}
     * @param engine the engine name
     * @return the devices
     * @throws IllegalArgumentException if the text is malformed or a GPU is missing
     */
    public static Device[] parse(String text, String engine) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("cpu")) {
            return new Device[] {Device.cpu()};
        }
        int available = Engine.getEngine(engine).getGpuCount();
        if (value.equals("gpu")) {
            if (available == 0) {
                throw new IllegalArgumentException(
                        "--devices gpu: the "
                                + engine
                                + " engine sees no GPU (for PyTorch set PYTORCH_LIBRARY_PATH,"
                                + " PYTORCH_VERSION and PYTORCH_FLAVOR to a CUDA build of"
                                + " libtorch; see the README)");
            }
            Device[] all = new Device[available];
            for (int i = 0; i < available; i++) {
                all[i] = Device.gpu(i);
            }
            return all;
        }
        if (!value.startsWith("gpu:")) {
            throw new IllegalArgumentException(
                    "--devices must be cpu, gpu or gpu:i,j,...; got " + text);
        }
        List<Device> devices = new ArrayList<>();
        for (String part : value.substring(4).split(",")) {
            int id;
            try {
                id = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--devices must be cpu, gpu or gpu:i,j,...; got " + text, e);
            }
            if (id < 0 || id >= available) {
                throw new IllegalArgumentException(
                        "--devices "
                                + text
                                + ": GPU "
                                + id
                                + " does not exist ("
                                + available
                                + " visible to "
                                + engine
                                + ")");
            }
            devices.add(Device.gpu(id));
        }
        return devices.toArray(new Device[0]);
    }
}
